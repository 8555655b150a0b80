import { createTheme } from '@mui/material/styles';
import { LinkBehavior } from './link-behavior.tsx';

// The desk's one theme, light and dark. The scheme follows the system (prefers-color-scheme)
// until the agent picks one in the app bar; MUI keeps the choice in localStorage and
// switches by a data attribute on <html>, through CSS variables, so a
// switch needs no re-render. Motion follows the system: with prefers-reduced-motion MUI's
// own transitions (dialogs, menus, collapses) and ripples end at once, and the CSS
// transitions of its controls (a button's colour on focus) are off.

/** A focus ring a keyboard user finds at once, in either scheme: thick, offset, high contrast. */
const focusRing = {
  outline: '3px solid var(--mui-palette-focusRing)',
  outlineOffset: 2,
} as const;

declare module '@mui/material/styles' {
  interface Palette {
    focusRing: string;
  }
  interface PaletteOptions {
    focusRing?: string;
  }
}

export const deskTheme = createTheme({
  motion: { reducedMotion: 'system' },
  cssVariables: { colorSchemeSelector: 'data' },
  colorSchemes: {
    light: {
      palette: {
        primary: { main: '#1f5fbf' },
        // MUI's default warning and info are too light for text (chips, outlined buttons)
        // on white or on the app bar: these keep 4.5:1 (WCAG AA), both as text and under it.
        warning: { main: '#a84b00' },
        info: { main: '#0369a1' },
        success: { main: '#1b7a3a' },
        background: { default: '#f5f7fa' },
        focusRing: '#0b3d91',
      },
    },
    dark: {
      palette: {
        primary: { main: '#8ab4f8' },
        warning: { main: '#ffb74d' },
        background: { default: '#101418', paper: '#161b21' },
        focusRing: '#ffd54f',
      },
    },
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
    MuiButtonBase: {
      defaultProps: { LinkComponent: LinkBehavior },
      styleOverrides: { root: { '&.Mui-focusVisible': focusRing } },
    },
    // A switch's focus lands on its hidden input: ring the whole switch.
    MuiSwitch: {
      styleOverrides: {
        root: { '&:has(.Mui-focusVisible)': { ...focusRing, borderRadius: 16 } },
        switchBase: { '&.Mui-focusVisible': { outline: 'none' } },
      },
    },
    MuiLink: {
      defaultProps: { component: LinkBehavior },
      styleOverrides: { root: { '&:focus-visible': { ...focusRing, borderRadius: 2 } } },
    },
    MuiNativeSelect: { styleOverrides: { select: { '&:focus-visible': focusRing } } },
  },
});
