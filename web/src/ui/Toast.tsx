import { useEffect } from 'react';

export function Toast({
  message,
  onClose,
  tone = 'error',
}: {
  message: string | null;
  onClose: () => void;
  tone?: 'error' | 'info';
}) {
  useEffect(() => {
    if (!message) return;
    const timer = setTimeout(onClose, 4000);
    return () => clearTimeout(timer);
  }, [message, onClose]);
  if (!message) return null;
  return (
    <div
      role="alert"
      data-testid="toast"
      className={`absolute left-1/2 top-3 z-20 -translate-x-1/2 rounded px-3 py-1.5 text-sm shadow ${tone === 'error' ? 'bg-red-600 text-white' : 'bg-slate-800 text-white'}`}
    >
      {message}
    </div>
  );
}
