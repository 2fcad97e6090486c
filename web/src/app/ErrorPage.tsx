import { isRouteErrorResponse, Link, useRouteError } from 'react-router';

/** Shown instead of a blank screen when a page crashes or a URL matches nothing. */
export function ErrorPage() {
  const error = useRouteError();
  const notFound = isRouteErrorResponse(error) && error.status === 404;
  const message = isRouteErrorResponse(error)
    ? error.statusText
    : error instanceof Error
      ? error.message
      : String(error);
  return (
    <div
      role="alert"
      className="mx-auto mt-16 max-w-xl rounded border border-slate-200 bg-white p-6 shadow-sm"
    >
      <h1 className="text-lg font-semibold">{notFound ? 'Page not found' : 'Something went wrong'}</h1>
      <p className="mt-2 text-sm text-slate-600">
        {notFound ? 'There is no page at this address.' : message}
      </p>
      <div className="mt-4 flex gap-3 text-sm">
        <Link className="rounded bg-indigo-600 px-3 py-1 text-white" to="/">
          Back to workflows
        </Link>
        {notFound ? null : (
          <button
            className="rounded border border-slate-300 px-3 py-1"
            onClick={() => window.location.reload()}
          >
            Reload
          </button>
        )}
      </div>
    </div>
  );
}
