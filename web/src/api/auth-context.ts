import { createContext, useContext } from 'react';
import type { AuthConfigOut } from '@flowforge/edge/api-types';

export type Realm = AuthConfigOut['realms'][number];

export interface AuthContextValue {
  /** The realm (tenant) signed in to; null in the embedded mode's automatic sign-in. */
  realm: Realm | null;
  username: string | null;
  signOut: (() => void) | null;
}

/** How the user signed in, provided by `auth/AuthGate`; features read it, only the gate writes it. */
export const AuthContext = createContext<AuthContextValue>({ realm: null, username: null, signOut: null });

export const useAuth = () => useContext(AuthContext);
