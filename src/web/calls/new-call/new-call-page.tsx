import Box from '@mui/material/Box';
import Paper from '@mui/material/Paper';
import Tab from '@mui/material/Tab';
import Tabs from '@mui/material/Tabs';
import Typography from '@mui/material/Typography';
import { useState } from 'react';
import { useLocation, useNavigate, useParams } from 'react-router';
import { NotFoundPage } from '../../desk/not-found-page.tsx';
import { isNewCallKind, NEW_CALL_KINDS, type NewCallKind } from './call-form-values.ts';
import { NewCallForm } from './new-call-form.tsx';

const TAB_LABELS: Readonly<Record<NewCallKind, string>> = {
  outbound: 'Outbound',
  inbound: 'Inbound',
  scheduled: 'Scheduled',
};

/** /calls/new, /calls/new/outbound, /calls/new/inbound, /calls/new/scheduled (query: a prefill). */
export function NewCallPage() {
  const { callType } = useParams();
  const navigate = useNavigate();
  const { search } = useLocation();
  // A new dial (?dial=, from the embedding bridge) starts the form again, even on this page;
  // the form then takes the marker out of the address, which must not start it once more.
  const dial = new URLSearchParams(search).get('dial');
  const [dialed, setDialed] = useState({ dial, count: 0 });
  if (dial !== null && dial !== dialed.dial) setDialed({ dial, count: dialed.count + 1 });
  if (callType !== undefined && !isNewCallKind(callType)) return <NotFoundPage />;
  const kind: NewCallKind = callType ?? 'outbound';
  return (
    <Box>
      <Typography variant="h5" component="h1" sx={{ mb: 1 }}>
        New call
      </Typography>
      <Paper variant="outlined" sx={{ mb: 2 }}>
        <Tabs
          value={kind}
          onChange={(_event, next: NewCallKind) => void navigate(`/calls/new/${next}${search}`)}
          aria-label="Call type"
          variant="fullWidth"
        >
          {NEW_CALL_KINDS.map((k) => (
            <Tab
              key={k}
              value={k}
              label={TAB_LABELS[k]}
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
