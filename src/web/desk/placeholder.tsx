import Box from '@mui/material/Box';

// A grey block where content is on its way. MUI's Skeleton would do, but it is a chunk of
// its own in every page's first load (docs/performance.md, "Desk"): this is the same shape,
// still (no shimmer to distract, nothing for reduced motion to stop).

export function Placeholder({
  width = '100%',
  height = 20,
  rounded = false,
}: {
  width?: number | string;
  height?: number;
  rounded?: boolean;
}) {
  return (
    <Box
      aria-hidden
      sx={{ width, height, bgcolor: 'action.hover', borderRadius: rounded ? 1 : 0.5 }}
    />
  );
}
