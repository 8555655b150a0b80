import { createTheme } from '@mui/material/styles';
import { LinkBehavior } from './link-behavior.tsx';

// The desk's one theme. Light and dark follow the system (prefers-color-scheme) through
// CSS variables, so a switch needs no re-render. Motion follows the system too: with
// prefers-reduced-motion MUI's own transitions (dialogs, menus, collapses) and ripples end at
// once, and the CSS transitions of its controls (a button's colour on focus) are off.
export const deskTheme = createTheme({
  motion: { reducedMotion: 'system' },
  cssVariables: { colorSchemeSelector: 'media' },
  colorSchemes: {
    light: {
      palette: {
        primary: { main: '#1f5fbf' },
        // MUI's default warning and info are too light for text (chips, outlined buttons)
        // on white or on the app bar: these keep 4.5:1 (WCAG AA), both as text and under it.
        warning: { main: '#a84b00' },
        info: { main: '#0369a1' },
        background: { default: '#f5f7fa' },
      },
    },
    dark: { palette: { primary: { main: '#8ab4f8' }, background: { default: '#101418' } } },
  },
  shape: { borderRadius: 8 },
  components: {
    MuiCssBaseline: {
      styleOverrides: {
        '@media (prefers-reduced-motion: reduce)': {
          '*, *::before, *::after': {
            transitionDuration: '0s !important',
            transitionDelay: '0s !important',
            scrollBehavior: 'auto !important',
          },
        },
      },
    },
    MuiTextField: { defaultProps: { fullWidth: true, size: 'small' } },
    MuiButton: { defaultProps: { disableElevation: true } },
    MuiButtonBase: { defaultProps: { LinkComponent: LinkBehavior } },
    MuiLink: { defaultProps: { component: LinkBehavior } },
  },
});
