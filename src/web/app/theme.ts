import { createTheme } from '@mui/material/styles';
import { LinkBehavior } from './link-behavior.tsx';

// The desk's one theme. Light and dark follow the system (prefers-color-scheme) through
// CSS variables, so a switch needs no re-render.
export const deskTheme = createTheme({
  cssVariables: { colorSchemeSelector: 'media' },
  colorSchemes: {
    light: { palette: { primary: { main: '#1f5fbf' }, background: { default: '#f5f7fa' } } },
    dark: { palette: { primary: { main: '#8ab4f8' }, background: { default: '#101418' } } },
  },
  shape: { borderRadius: 8 },
  components: {
    MuiTextField: { defaultProps: { fullWidth: true, size: 'small' } },
    MuiButton: { defaultProps: { disableElevation: true } },
    MuiButtonBase: { defaultProps: { LinkComponent: LinkBehavior } },
    MuiLink: { defaultProps: { component: LinkBehavior } },
  },
});
