import type { Ref } from 'react';
import { Link as RouterLink, type LinkProps as RouterLinkProps } from 'react-router';

/**
 * MUI links and buttons with an `href` navigate inside the desk through the router; an
 * absolute URL (a recording, a ticket) stays a plain link that opens elsewhere.
 */
export function LinkBehavior({
  href,
  ref,
  ...other
}: Omit<RouterLinkProps, 'to'> & { href: RouterLinkProps['to']; ref?: Ref<HTMLAnchorElement> }) {
  if (typeof href === 'string' && /^[a-z][a-z0-9+.-]*:/i.test(href)) {
    return <a ref={ref} href={href} {...other} />;
  }
  return <RouterLink ref={ref} to={href} {...other} />;
}
