import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { useState } from 'react';
import {
  createBrowserRouter,
  Link,
  matchRoutes,
  NavLink,
  Outlet,
  RouterProvider,
  type RouteObject,
} from 'react-router';
import { AuthGate } from '../auth/AuthGate.tsx';
import { usePermissions } from '../api/permissions.ts';
import { UserMenu } from '../auth/UserMenu.tsx';
import { ErrorPage } from './ErrorPage.tsx';
import { LiveTicker } from '../market/LiveTicker.tsx';

const canvasPage = async () => ({ Component: (await import('../canvas/CanvasPage.tsx')).CanvasPage });

const navClass = ({ isActive }: { isActive: boolean }) =>
  isActive ? 'text-white underline underline-offset-4' : 'text-slate-300 hover:text-white';

function Shell() {
  const { isAdmin } = usePermissions();
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
        {isAdmin ? (
          <NavLink to="/admin" className={navClass}>
            Admin
          </NavLink>
        ) : null}
        <UserMenu />
      </header>
      <main className="min-h-0 flex-1">
        <Outlet />
      </main>
    </div>
  );
}

const queryClient = new QueryClient({
  defaultOptions: { queries: { retry: 1, refetchOnWindowFocus: false } },
});

const routes: RouteObject[] = [
  {
    element: <Shell />,
    children: [
      {
        // Errors render inside the shell, so the header and its way back stay on screen.
        errorElement: <ErrorPage />,
        children: [
          // Every page loads with its route: a dashboard link does not download the editor, the workflow engine
          // (the list's template gallery) or the admin pages, nor the canvas the grid.
          {
            path: '/',
            lazy: async () => ({
              Component: (await import('../workflows/WorkflowListPage.tsx')).WorkflowListPage,
            }),
          },
          { path: '/canvas', lazy: canvasPage },
          { path: '/canvas/:workflowId', lazy: canvasPage },
          {
            path: '/dashboards',
            lazy: async () => ({
              Component: (await import('../dashboards/DashboardListPage.tsx')).DashboardListPage,
            }),
          },
          {
            path: '/dashboards/:dashboardId',
            // Render-as-you-fetch: the loader starts the dashboard's queries while the page code loads; it never
            // waits for them (the page shows its own loading states).
            loader: ({ params, request }) => {
              void import('../dashboards/queries.ts').then((q) =>
                q
                  .prefetchDashboard(queryClient, params.dashboardId!, new URL(request.url).searchParams)
                  .catch(() => undefined),
              );
              return null;
            },
            lazy: async () => ({
              Component: (await import('../dashboards/DashboardPage.tsx')).DashboardPage,
            }),
          },
          {
            path: '/admin/*',
            lazy: async () => ({ Component: (await import('../admin/AdminPage.tsx')).AdminPage }),
          },
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
];

// The page's code downloads while sign-in runs (its requests wait for the router, which needs the signed-in URL).
for (const match of matchRoutes(routes, window.location) ?? [])
  if (typeof match.route.lazy === 'function') void match.route.lazy();

// Created after sign-in: the OIDC callback rewrites the URL first, and the router must start from the result.
const createRouter = () => createBrowserRouter(routes);

function Routes() {
  const [router] = useState(createRouter);
  return <RouterProvider router={router} />;
}

export function App() {
  return (
    <QueryClientProvider client={queryClient}>
      <AuthGate>
        <Routes />
      </AuthGate>
    </QueryClientProvider>
  );
}
