import { describe, expect, it } from 'vitest';
import { permissionsOf } from './permissions.ts';

describe('permissionsOf', () => {
  it('ranks viewer < analyst < admin like the edge', () => {
    expect(permissionsOf(['viewer'])).toMatchObject({ canEdit: false, isAdmin: false });
    expect(permissionsOf(['analyst'])).toEqual({ canEdit: true, isAdmin: false, editRefusal: null });
    expect(permissionsOf(['viewer', 'admin'])).toEqual({ canEdit: true, isAdmin: true, editRefusal: null });
  });

  it('says why a viewer or a user without a role cannot edit', () => {
    expect(permissionsOf(['viewer']).editRefusal).toBe(
      'Read-only: your role (viewer) cannot edit. Ask an admin for the analyst role.',
    );
    expect(permissionsOf([]).editRefusal).toMatch(/your role \(none\)/);
  });
});
