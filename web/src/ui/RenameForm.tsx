/** A list row's name in place: a field with Save (Enter) and Cancel, as the workflow and dashboard lists show it. */
export function RenameForm({
  value,
  onChange,
  onSave,
  onCancel,
}: {
  value: string;
  onChange: (value: string) => void;
  onSave: () => void;
  onCancel: () => void;
}) {
  return (
    <form
      className="flex flex-1 gap-2"
      onSubmit={(e) => {
        e.preventDefault();
        onSave();
      }}
    >
      <input
        aria-label="New name"
        autoFocus
        className="flex-1 rounded border border-slate-300 px-2 py-1 text-sm"
        value={value}
        onChange={(e) => onChange(e.target.value)}
      />
      <button className="rounded bg-indigo-600 px-2 py-1 text-xs text-white" type="submit">
        Save
      </button>
      <button className="rounded px-2 py-1 text-xs" type="button" onClick={onCancel}>
        Cancel
      </button>
    </form>
  );
}
