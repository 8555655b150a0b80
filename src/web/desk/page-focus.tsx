import Typography, { type TypographyProps } from '@mui/material/Typography';
import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useLayoutEffect,
  useRef,
  useState,
  type ReactNode,
} from 'react';
import { useLocation } from 'react-router';

// Where the keyboard's focus goes when the page changes: to the new page's heading, so a
// screen reader announces it and Tab continues from the top of the page (not from <body>).
// A page's heading may render after its data arrives: it takes the focus when it mounts,
// if a navigation is waiting for it.

interface PageFocus {
  /** A navigation happened: the page's heading takes the focus, now or when it mounts. */
  navigated(): void;
  /** A page heading is on screen; returns the function that says it is gone. */
  register(heading: HTMLElement): () => void;
  /** Moves the focus to the heading on screen. */
  focus(): void;
}

function createPageFocus(): PageFocus {
  let pending = false;
  let heading: HTMLElement | null = null;
  return {
    navigated() {
      pending = true;
      if (heading?.isConnected) {
        heading.focus();
        pending = false;
      }
    },
    register(element) {
      heading = element;
      if (pending) {
        element.focus();
        pending = false;
      }
      return () => {
        if (heading === element) heading = null;
      };
    },
    focus() {
      if (heading?.isConnected) heading.focus();
    },
  };
}

const PageFocusContext = createContext<PageFocus | null>(null);

/** The page an address shows: the new-call form's tabs are one page. */
function pageOf(pathname: string): string {
  return pathname.replace(/\/+$/, '').replace(/^\/calls\/new(\/.*)?$/, '/calls/new');
}

/** Watches the address and asks the next page heading to take the focus. */
export function PageFocusProvider({ children }: { children: ReactNode }) {
  const { pathname } = useLocation();
  const [focus] = useState(createPageFocus);
  const page = pageOf(pathname);
  const first = useRef(true);
  useLayoutEffect(() => {
    // The first page of a load keeps the browser's own focus (the address bar, a frame).
    if (first.current) {
      first.current = false;
      return;
    }
    focus.navigated();
  }, [page, focus]);
  return <PageFocusContext value={focus}>{children}</PageFocusContext>;
}

/** Moves the focus to the page's heading (after a dialog whose trigger has gone, say). */
export function useFocusPageHeading(): () => void {
  const focus = useContext(PageFocusContext);
  return useCallback(() => focus?.focus(), [focus]);
}

/** A page's h1: it takes the focus after a navigation. */
export function PageHeading({
  children,
  sx,
  ...props
}: Omit<TypographyProps<'h1'>, 'component' | 'ref'> & { children: ReactNode }) {
  const focus = useContext(PageFocusContext);
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    const element = ref.current;
    if (!focus || !element) return;
    return focus.register(element);
  }, [focus]);
  return (
    <Typography
      variant="h5"
      {...props}
      component="h1"
      ref={ref}
      tabIndex={-1}
      sx={[{ '&:focus': { outline: 'none' } }, ...(Array.isArray(sx) ? sx : [sx])]}
    >
      {children}
    </Typography>
  );
}
