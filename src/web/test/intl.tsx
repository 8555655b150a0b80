import { createIntl, IntlProvider, type IntlShape } from 'react-intl';
import type { ReactNode } from 'react';
import { createDeskFormat, type DeskFormat } from '../desk/format.ts';
import type { DeskLocale } from '../desk/locale.tsx';
import esMessages from '../desk/messages/es.json';

// The desk's words for tests of a part on its own: English (the default messages) or
// Spanish (the shipped catalogue), without the whole desk around it.

export function testIntl(locale: DeskLocale = 'en'): IntlShape {
  return createIntl({
    locale,
    defaultLocale: 'en',
    messages: locale === 'es' ? (esMessages as never) : {},
    onError: (error) => {
      if (error.code !== 'MISSING_TRANSLATION') throw error;
    },
  });
}

export function testFormat(intl: IntlShape): DeskFormat {
  return createDeskFormat(intl, (n) => n);
}

export function WithIntl({
  locale = 'en',
  children,
}: {
  locale?: DeskLocale;
  children: ReactNode;
}) {
  return (
    <IntlProvider
      locale={locale}
      defaultLocale="en"
      messages={locale === 'es' ? (esMessages as never) : {}}
    >
      {children}
    </IntlProvider>
  );
}
