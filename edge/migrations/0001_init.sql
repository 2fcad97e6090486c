-- App metadata. Every table carries tenant_id NOT NULL with an index: every query filters on it (AGENTS.md invariant 4).

CREATE TABLE workflows (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id   varchar(64) NOT NULL,
  name        varchar(255) NOT NULL,
  graph_json  jsonb NOT NULL,
  version     integer NOT NULL DEFAULT 1,
  created_by  varchar(255) NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX idx_workflows_tenant ON workflows (tenant_id);

CREATE TABLE workflow_versions (
  tenant_id   varchar(64) NOT NULL,
  workflow_id uuid NOT NULL REFERENCES workflows (id) ON DELETE CASCADE,
  version     integer NOT NULL,
  name        varchar(255) NOT NULL,
  graph_json  jsonb NOT NULL,
  created_by  varchar(255) NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (workflow_id, version)
);
CREATE INDEX idx_workflow_versions_tenant ON workflow_versions (tenant_id);

CREATE TABLE dashboards (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id       varchar(64) NOT NULL,
  name            varchar(255) NOT NULL,
  layout_json     jsonb NOT NULL DEFAULT '[]',
  filters_json    jsonb NOT NULL DEFAULT '{}',
  refresh_seconds integer NOT NULL DEFAULT 0,
  created_by      varchar(255) NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX idx_dashboards_tenant ON dashboards (tenant_id);

CREATE TABLE widgets (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id       varchar(64) NOT NULL,
  dashboard_id    uuid REFERENCES dashboards (id) ON DELETE CASCADE,
  workflow_id     uuid NOT NULL REFERENCES workflows (id) ON DELETE CASCADE,
  output_node_id  varchar(64) NOT NULL,
  widget_type     varchar(50) NOT NULL,
  config_json     jsonb NOT NULL DEFAULT '{}',
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX idx_widgets_tenant ON widgets (tenant_id);
CREATE INDEX idx_widgets_dashboard ON widgets (dashboard_id);

CREATE TABLE api_keys (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id         varchar(64) NOT NULL,
  name              varchar(255) NOT NULL,
  key_hash          char(64) NOT NULL UNIQUE,
  prefix            varchar(16) NOT NULL,
  scoped_widget_ids uuid[] NOT NULL,
  allowed_origins   text[] NOT NULL DEFAULT '{}',
  expires_at        timestamptz,
  revoked_at        timestamptz,
  last_used_at      timestamptz,
  created_by        varchar(255) NOT NULL,
  created_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX idx_api_keys_tenant ON api_keys (tenant_id);

CREATE TABLE tenant_acls (
  tenant_id       varchar(64) PRIMARY KEY,
  allowed_symbols text[],
  allowed_tables  text[],
  version         integer NOT NULL DEFAULT 1,
  updated_at      timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE audit_log (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tenant_id   varchar(64) NOT NULL,
  actor       varchar(255) NOT NULL,
  action      varchar(64) NOT NULL,
  target_type varchar(32) NOT NULL,
  target_id   varchar(64),
  details     jsonb NOT NULL DEFAULT '{}',
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX idx_audit_log_tenant ON audit_log (tenant_id, created_at DESC);
