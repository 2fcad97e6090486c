// Inline SVG icons: emoji and rare symbols fall back to empty boxes on machines without an emoji font.
const base = {
  width: 14,
  height: 14,
  viewBox: '0 0 16 16',
  fill: 'none',
  stroke: 'currentColor',
  strokeWidth: 1.6,
  strokeLinecap: 'round' as const,
  strokeLinejoin: 'round' as const,
  'aria-hidden': true,
};

export const ExpandIcon = () => (
  <svg {...base}>
    <path d="M2 6V2h4M10 2h4v4M14 10v4h-4M6 14H2v-4" />
  </svg>
);
export const CollapseIcon = () => (
  <svg {...base}>
    <path d="M6 2v4H2M14 6h-4V2M10 14v-4h4M2 10h4v4" />
  </svg>
);
export const TrashIcon = () => (
  <svg {...base}>
    <path d="M2.5 4h11M6 4V2.5h4V4M4 4l.7 9.5h6.6L12 4" />
  </svg>
);
export const PinIcon = () => (
  <svg {...base}>
    <path d="M6 2h4l-.5 4 2.5 2.5H4L6.5 6zM8 8.5V14" />
  </svg>
);
export const MoreIcon = () => (
  <svg {...base}>
    <circle cx="3" cy="8" r="0.9" fill="currentColor" />
    <circle cx="8" cy="8" r="0.9" fill="currentColor" />
    <circle cx="13" cy="8" r="0.9" fill="currentColor" />
  </svg>
);
