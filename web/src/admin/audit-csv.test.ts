import { describe, expect, it } from 'vitest';
import { auditCsv } from './audit-csv.ts';

const entry = {
  id: '1',
  actor: 'api_key:ff_live_ab12',
  action: 'api_key.used',
  target_type: 'api_key',
  target_id: 'k-1',
  details: { path: '/api/v1/embed/tokens', note: 'a "quoted", value' },
  created_at: '2026-11-30T23:00:00.000Z',
};

describe('auditCsv', () => {
  it('writes a header and one RFC 4180 row per entry, details as JSON', () => {
    expect(auditCsv([entry])).toBe(
      'created_at,actor,action,target_type,target_id,details\r\n' +
        '2026-11-30T23:00:00.000Z,api_key:ff_live_ab12,api_key.used,api_key,k-1,' +
        '"{""path"":""/api/v1/embed/tokens"",""note"":""a \\""quoted\\"", value""}"\r\n',
    );
  });

  it('defuses cells a spreadsheet would run as formulas, and leaves null targets empty', () => {
    const csv = auditCsv([{ ...entry, actor: '=HYPERLINK("x")', target_id: null, details: null }]);
    expect(csv.split('\r\n')[1]).toBe(`2026-11-30T23:00:00.000Z,"'=HYPERLINK(""x"")",api_key.used,api_key,,`);
  });
});
