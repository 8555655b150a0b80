import Box from '@mui/material/Box';
import Paper from '@mui/material/Paper';
import Tab from '@mui/material/Tab';
import Tabs from '@mui/material/Tabs';
import { useState } from 'react';
import { defineMessages, useIntl } from 'react-intl';
import { useLocation, useNavigate, useParams } from 'react-router';
import { useDocumentTitle } from '../../desk/document-title.ts';
import { PageHeading } from '../../desk/page-focus.tsx';
import { NotFoundPage } from '../../desk/not-found-page.tsx';
import { isNewCallKind, NEW_CALL_KINDS, type NewCallKind } from './call-form-values.ts';
import { NewCallForm } from './new-call-form.tsx';

const TAB_LABELS = defineMessages({
  outbound: { id: 'callType.outbound', defaultMessage: 'Outbound' },
  inbound: { id: 'callType.inbound', defaultMessage: 'Inbound' },
  scheduled: { id: 'callType.scheduled', defaultMessage: 'Scheduled' },
});

/** /calls/new, /calls/new/outbound, /calls/new/inbound, /calls/new/scheduled (query: a prefill). */
export function NewCallPage() {
  const { callType } = useParams();
  const navigate = useNavigate();
  const { search } = useLocation();
  const intl = useIntl();
  const title = intl.formatMessage({ id: 'nav.newCall', defaultMessage: 'New call' });
  useDocumentTitle(title);
  // A new dial (?dial=, from the embedding bridge) starts the form again, even on this page;
  // the form then takes the marker out of the address, which must not start it once more.
  const dial = new URLSearchParams(search).get('dial');
  const [dialed, setDialed] = useState({ dial, count: 0 });
  if (dial !== null && dial !== dialed.dial) setDialed({ dial, count: dialed.count + 1 });
  if (callType !== undefined && !isNewCallKind(callType)) return <NotFoundPage />;
  const kind: NewCallKind = callType ?? 'outbound';
  return (
    <Box>
      <PageHeading sx={{ mb: 1 }}>{title}</PageHeading>
      <Paper variant="outlined" sx={{ mb: 2 }}>
        <Tabs
          value={kind}
          onChange={(_event, next: NewCallKind) => void navigate(`/calls/new/${next}${search}`)}
          aria-label={intl.formatMessage({ id: 'list.callType', defaultMessage: 'Call type' })}
          variant="fullWidth"
        >
          {NEW_CALL_KINDS.map((k) => (
            <Tab
              key={k}
              value={k}
              label={intl.formatMessage(TAB_LABELS[k])}
              id={`new-call-tab-${k}`}
              aria-controls={`new-call-panel-${k}`}
            />
          ))}
        </Tabs>
      </Paper>
      <Box role="tabpanel" id={`new-call-panel-${kind}`} aria-labelledby={`new-call-tab-${kind}`}>
        {/* Keyed: each call type has its own form, draft and errors. */}
        <NewCallForm key={`${kind}:${dialed.count}`} kind={kind} />
      </Box>
    </Box>
  );
}
