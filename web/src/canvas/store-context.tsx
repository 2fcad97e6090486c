import { createContext, useContext, useState, type ReactNode } from 'react';
import { useStore } from 'zustand';
import { useShallow } from 'zustand/react/shallow';
import { createCanvasStore, type CanvasState, type CanvasStore } from './store.ts';

const CanvasStoreContext = createContext<CanvasStore | null>(null);

/** One store per open canvas (React Flow's pattern), so tests and pages never share state by accident. */
export function CanvasStoreProvider({ store, children }: { store?: CanvasStore; children: ReactNode }) {
  const [value] = useState(() => store ?? createCanvasStore());
  return <CanvasStoreContext.Provider value={value}>{children}</CanvasStoreContext.Provider>;
}

export function useCanvasStoreApi(): CanvasStore {
  const store = useContext(CanvasStoreContext);
  if (!store) throw new Error('useCanvas must be used inside <CanvasStoreProvider>');
  return store;
}

export function useCanvas<T>(selector: (state: CanvasState) => T): T {
  return useStore(useCanvasStoreApi(), useShallow(selector));
}
