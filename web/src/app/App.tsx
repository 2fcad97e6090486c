import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { createBrowserRouter, Link, NavLink, Outlet, RouterProvider } from 'react-router';
import { CanvasPage } from '../canvas/CanvasPage.tsx';
import { DashboardListPage } from '../dashboards/DashboardListPage.tsx';
import { DashboardPage } from '../dashboards/DashboardPage.tsx';
import { ErrorPage } from './ErrorPage.tsx';
import { WorkflowListPage } from '../workflows/WorkflowListPage.tsx';
import { useSession } from '../api/use-session.ts';
import { LiveTicker } from '../market/LiveTicker.tsx';

const navClass = ({ isActive }: { isActive: boolean }) =>
  isActive ? 'text-white underline underline-offset-4' : 'text-slate-300 hover:text-white';

function Shell() {
  const session = useSession();
  return (
    <div className="flex h-screen flex-col">
      <header className="flex items-center gap-4 bg-slate-900 px-4 py-2 text-sm text-white">
        <Link to="/" className="font-bold tracking-tight">
          ⚒ FlowForge
        </Link>
        <NavLink to="/" end className={navClass}>
          Workflows
        </NavLink>
        <NavLink to="/dashboards" className={navClass}>
          Dashboards
        </NavLink>
        <div className="mx-4 min-w-0 flex-1">
          <LiveTicker />
        </div>
        {session.data?.dev ? (
          <span
            className="shrink-0 rounded bg-amber-500/20 px-2 py-0.5 text-xs text-amber-200"
            data-testid="dev-login"
          >
            Embedded mode: signed in automatically as tenant “{session.data.tenant_id}” (
            {session.data.roles.join(', ')})
          </span>
        ) : null}
      </header>
      <main className="min-h-0 flex-1">
        <Outlet />
      </main>
    </div>
  );
}

const router = createBrowserRouter([
  {
    element: <Shell />,
    children: [
      {
        // Errors render inside the shell, so the header and its way back stay on screen.
        errorElement: <ErrorPage />,
        children: [
          { path: '/', element: <WorkflowListPage /> },
          { path: '/canvas', element: <CanvasPage /> },
          { path: '/canvas/:workflowId', element: <CanvasPage /> },
          { path: '/dashboards', element: <DashboardListPage /> },
          { path: '/dashboards/:dashboardId', element: <DashboardPage /> },
          {
            path: '*',
            loader: () => {
              throw new Response(null, { status: 404, statusText: 'Not Found' });
            },
          },
        ],
      },
    ],
  },
]);

const queryClient = new QueryClient({
  defaultOptions: { queries: { retry: 1, refetchOnWindowFocus: false } },
});

export function App() {
  return (
    <QueryClientProvider client={queryClient}>
      <RouterProvider router={router} />
    </QueryClientProvider>
  );
}
