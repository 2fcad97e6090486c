-- The embed page's frame-ancestors come from the keys covering its widget: find them by widget id, not by a scan.
CREATE INDEX IF NOT EXISTS idx_api_keys_scoped_widgets ON api_keys USING gin (scoped_widget_ids);
