import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import List from '@mui/material/List';
import ListItem from '@mui/material/ListItem';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useState, type ReactNode } from 'react';
import {
  EMBED_CONTRACT_VERSION,
  EMBED_PROTOCOL,
  isOriginAllowed,
  originMatchesRule,
  parseAllowList,
} from '../../contract/embed.ts';
import { useCallApiClient } from '../desk/api-client.tsx';
import { sessionQueries } from '../desk/session-queries.ts';
import type { BridgeLogEntry, BridgeState } from './bridge-connection.ts';
import { useEmbedState } from './embed-context.tsx';
import { readFrameContext } from './frame-context.ts';
import { runFrameChecks, type CheckResult, type FrameChecks } from './frame-checks.ts';
import { Section } from '../lib/section.tsx';

// /embed/check: what an integrator opens inside the CRM's iframe to see whether the
// embedding works, and if not, why: is this origin allowed, do storage and cookies work in
// this frame, which messages have arrived (and why any was ignored).

const OUTCOME_LABEL = { works: 'Works', blocked: 'Blocked', unknown: 'Unknown' } as const;
const OUTCOME_COLOR = { works: 'success', blocked: 'warning', unknown: 'default' } as const;

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Box component="div" sx={{ display: 'contents' }}>
      <Typography component="dt" sx={{ fontWeight: 600 }}>
        {label}
      </Typography>
      <Typography component="dd" sx={{ m: 0, mb: 1, overflowWrap: 'anywhere' }}>
        {children}
      </Typography>
    </Box>
  );
}

function CheckRow({ label, result }: { label: string; result: CheckResult | undefined }) {
  return (
    <Fact label={label}>
      {result ? (
        <>
          <Chip
            size="small"
            variant="outlined"
            color={OUTCOME_COLOR[result.outcome]}
            label={OUTCOME_LABEL[result.outcome]}
            sx={{ mr: 1 }}
          />
          {result.detail}
        </>
      ) : (
        'Checking…'
      )}
    </Fact>
  );
}

/** The verdict on this frame's origin, from the bridge where it runs, else from the page itself. */
function useOriginVerdict(bridge: BridgeState | null, allowedOrigins: string[] | undefined) {
  const [frame] = useState(() => bridge?.frame ?? readFrameContext());
  const parentOrigin = bridge?.targetOrigin ?? frame.parentOrigin;
  if (!frame.framed) return { frame, parentOrigin, allowed: null, rule: null };
  if (!allowedOrigins || parentOrigin === null)
    return { frame, parentOrigin, allowed: null, rule: null };
  const { rules } = parseAllowList(allowedOrigins);
  const allowed = isOriginAllowed(rules, parentOrigin, frame.ownOrigin);
  const rule =
    parentOrigin === frame.ownOrigin
      ? 'the desk’s own origin'
      : (rules.find((r) => originMatchesRule(r, parentOrigin))?.source ?? null);
  return { frame, parentOrigin, allowed, rule };
}

function OriginVerdict({
  bridge,
  allowedOrigins,
  sessionFailed,
}: {
  bridge: BridgeState | null;
  allowedOrigins: string[] | undefined;
  sessionFailed: boolean;
}) {
  const { frame, parentOrigin, allowed, rule } = useOriginVerdict(bridge, allowedOrigins);
  if (!frame.framed) {
    return (
      <Alert severity="info">
        <AlertTitle>Not in a frame</AlertTitle>
        Open this page inside your CRM’s iframe (<code>{`${frame.ownOrigin}/embed/check`}</code>) to
        check the embedding there.
      </Alert>
    );
  }
  if (sessionFailed) {
    return (
      <Alert severity="error">
        <AlertTitle>The desk’s server could not be reached</AlertTitle>
        The list of allowed origins could not be read, so the desk does not talk to this page.
      </Alert>
    );
  }
  if (parentOrigin === null) {
    return (
      <Alert severity="info">
        <AlertTitle>Waiting for the host</AlertTitle>
        This browser does not say which page frames the desk (no ancestorOrigins, no referrer). The
        desk will answer the first valid message from an allowed origin.
      </Alert>
    );
  }
  if (allowed === null) {
    return <Alert severity="info">Checking {parentOrigin}…</Alert>;
  }
  return allowed ? (
    <Alert severity="success">
      <AlertTitle>This origin is allowed</AlertTitle>
      <Box component="span" sx={{ overflowWrap: 'anywhere' }}>
        {parentOrigin}
      </Box>{' '}
      may frame the desk and exchange messages with it (it matches <code>{rule}</code>).
    </Alert>
  ) : (
    <Alert severity="error">
      <AlertTitle>This origin is not allowed</AlertTitle>
      <Box component="span" sx={{ overflowWrap: 'anywhere' }}>
        {parentOrigin}
      </Box>{' '}
      is not on <code>EMBED_ALLOWED_ORIGINS</code>: add it to the server’s configuration. The desk
      ignores its messages and posts nothing to it.
    </Alert>
  );
}

const STATUS_TEXT: Readonly<Record<BridgeState['status'], string>> = {
  'not-framed': 'Off: the desk is not in a frame.',
  loading: 'Starting…',
  connected: 'Connected: ready was sent.',
  waiting: 'Waiting for the host’s first message.',
  refused: 'Off: the framing origin is not allowed.',
  failed: 'Off: it could not start.',
};

function time(at: number): string {
  return new Date(at).toLocaleTimeString(undefined, { hour12: false });
}

function LogItem({ entry }: { entry: BridgeLogEntry }) {
  const headline =
    entry.direction === 'in'
      ? `${entry.type ?? 'message'} from ${entry.origin || 'an unknown origin'}`
      : `${entry.type ?? 'message'} to ${entry.origin}`;
  return (
    <ListItem disableGutters divider sx={{ display: 'block', minWidth: 0 }}>
      <Stack direction="row" useFlexGap sx={{ alignItems: 'center', flexWrap: 'wrap', gap: 1 }}>
        <Chip
          size="small"
          label={
            entry.outcome === 'sent'
              ? 'Sent'
              : entry.outcome === 'accepted'
                ? 'Accepted'
                : 'Ignored'
          }
          color={
            entry.outcome === 'ignored'
              ? 'warning'
              : entry.outcome === 'accepted'
                ? 'success'
                : 'default'
          }
          variant="outlined"
        />
        <Typography component="span" sx={{ fontWeight: 600, overflowWrap: 'anywhere' }}>
          {headline}
        </Typography>
        <Typography component="span" variant="body2" color="text.secondary">
          {time(entry.at)}
        </Typography>
      </Stack>
      {entry.reason && (
        <Typography variant="body2" sx={{ mt: 0.5, overflowWrap: 'anywhere' }}>
          Why: {entry.reason}
        </Typography>
      )}
      <Typography
        variant="body2"
        component="code"
        sx={{
          display: 'block',
          mt: 0.5,
          fontFamily: 'monospace',
          overflowWrap: 'anywhere',
          color: 'text.secondary',
        }}
      >
        {entry.preview}
      </Typography>
    </ListItem>
  );
}

export function EmbedCheckPage() {
  const client = useCallApiClient();
  const settings = useQuery(sessionQueries.embed(client));
  const session = useQuery(sessionQueries.session(client));
  const bridge = useEmbedState();
  const framed = bridge?.frame.framed ?? readFrameContext().framed;
  const [checks, setChecks] = useState<FrameChecks | null>(null);
  useEffect(() => {
    let live = true;
    void runFrameChecks(window, framed).then((result) => {
      if (live) setChecks(result);
    });
    return () => {
      live = false;
    };
  }, [framed]);

  const allowedOrigins =
    settings.data?.embed_allowed_origins ?? bridge?.allowedOrigins ?? undefined;
  const received = bridge?.log.filter((e) => e.direction === 'in') ?? [];
  const log = [...(bridge?.log ?? [])].reverse();

  return (
    <Stack spacing={2}>
      <Box>
        <Typography variant="h5" component="h1">
          Embedding check
        </Typography>
        <Typography color="text.secondary">
          Protocol <code>{EMBED_PROTOCOL}</code>, contract version {EMBED_CONTRACT_VERSION}.
        </Typography>
      </Box>
      <OriginVerdict
        bridge={bridge}
        allowedOrigins={allowedOrigins}
        sessionFailed={settings.isError}
      />
      <Section title="This frame">
        <Box component="dl" sx={{ m: 0 }}>
          <Fact label="Framed">{framed ? 'Yes' : 'No'}</Fact>
          {framed && (
            <Fact label="Framing page">
              {bridge?.targetOrigin ?? bridge?.frame.parentOrigin ?? 'Not known yet'}
              {bridge?.frame.parentOriginFrom ? ` (from ${bridge.frame.parentOriginFrom})` : ''}
            </Fact>
          )}
          <Fact label="Messages go to">
            {bridge?.targetOrigin ??
              (framed ? 'Nobody yet' : 'Nobody: the desk posts messages only when framed')}
          </Fact>
          <Fact label="Bridge">{bridge ? STATUS_TEXT[bridge.status] : 'Not running.'}</Fact>
          <Fact label="Session">
            {session.data
              ? session.data.transport === 'token'
                ? `${session.data.agent.email}, held in this frame's memory: the browser blocks its cookies, so a reload asks to sign in again`
                : `${session.data.agent.email}, in ${framed ? "this frame's own (partitioned) cookie" : 'the desk’s cookie'}`
              : session.isPending
                ? 'Reading…'
                : 'Not signed in'}
          </Fact>
          <Fact label="Allowed origins">
            {allowedOrigins
              ? allowedOrigins.join(', ')
              : settings.isError
                ? 'Could not be read'
                : 'Reading…'}
            {allowedOrigins ? ', and the desk’s own origin' : ''}
          </Fact>
        </Box>
      </Section>
      <Section title="Storage and cookies">
        <Box component="dl" sx={{ m: 0 }}>
          <CheckRow label="Local storage" result={checks?.localStorage} />
          <CheckRow label="Session storage" result={checks?.sessionStorage} />
          <CheckRow label="Cookies" result={checks?.cookies} />
          <CheckRow label="Unpartitioned storage" result={checks?.storageAccess} />
        </Box>
        <Typography variant="body2" color="text.secondary">
          The desk works without storage and cookies; without storage, drafts and the acting agent
          do not survive a reload.
        </Typography>
      </Section>
      <Section title="Messages">
        <Typography role="status" sx={{ mb: 1 }}>
          {received.length === 0
            ? 'No messages have arrived.'
            : `${received.length} ${received.length === 1 ? 'message has' : 'messages have'} arrived.`}
        </Typography>
        {log.length > 0 && (
          <List aria-label="Messages, newest first" disablePadding>
            {log.map((entry) => (
              <LogItem key={entry.seq} entry={entry} />
            ))}
          </List>
        )}
      </Section>
    </Stack>
  );
}
