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
import { FormattedMessage, useIntl, type IntlShape } from 'react-intl';
import { useDocumentTitle } from '../desk/document-title.ts';
import { PageHeading } from '../desk/page-focus.tsx';
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
  const intl = useIntl();
  return (
    <Fact label={label}>
      {result ? (
        <>
          <Chip
            size="small"
            variant="outlined"
            color={OUTCOME_COLOR[result.outcome]}
            label={intl.formatMessage(
              {
                id: 'check.outcome',
                defaultMessage:
                  '{outcome, select, works {Works} blocked {Blocked} other {Unknown}}',
              },
              { outcome: result.outcome },
            )}
            sx={{ mr: 1 }}
          />
          {intl.formatMessage(result.message, result.values)}
        </>
      ) : (
        intl.formatMessage({ id: 'check.checking', defaultMessage: 'Checking…' })
      )}
    </Fact>
  );
}

/** The verdict on this frame's origin, from the bridge where it runs, else from the page itself. */
function useOriginVerdict(
  bridge: BridgeState | null,
  allowedOrigins: string[] | undefined,
  intl: IntlShape,
) {
  const [frame] = useState(() => bridge?.frame ?? readFrameContext());
  const parentOrigin = bridge?.targetOrigin ?? frame.parentOrigin;
  if (!frame.framed) return { frame, parentOrigin, allowed: null, rule: null };
  if (!allowedOrigins || parentOrigin === null)
    return { frame, parentOrigin, allowed: null, rule: null };
  const { rules } = parseAllowList(allowedOrigins);
  const allowed = isOriginAllowed(rules, parentOrigin, frame.ownOrigin);
  const rule =
    parentOrigin === frame.ownOrigin
      ? intl.formatMessage({ id: 'check.ownOrigin', defaultMessage: 'the desk’s own origin' })
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
  const intl = useIntl();
  const { frame, parentOrigin, allowed, rule } = useOriginVerdict(bridge, allowedOrigins, intl);
  const code = (chunks: ReactNode[]) => <code>{chunks}</code>;
  const origin = (
    <Box component="span" sx={{ overflowWrap: 'anywhere' }}>
      {parentOrigin}
    </Box>
  );
  if (!frame.framed) {
    return (
      <Alert severity="info">
        <AlertTitle>
          <FormattedMessage id="check.notFramed.title" defaultMessage="Not in a frame" />
        </AlertTitle>
        <FormattedMessage
          id="check.notFramed.body"
          defaultMessage="Open this page inside your CRM’s iframe (<code>{url}</code>) to check the embedding there."
          values={{ url: `${frame.ownOrigin}/embed/check`, code }}
        />
      </Alert>
    );
  }
  if (sessionFailed) {
    return (
      <Alert severity="error">
        <AlertTitle>
          <FormattedMessage
            id="check.unreachable.title"
            defaultMessage="The desk’s server could not be reached"
          />
        </AlertTitle>
        <FormattedMessage
          id="check.unreachable.body"
          defaultMessage="The list of allowed origins could not be read, so the desk does not talk to this page."
        />
      </Alert>
    );
  }
  if (parentOrigin === null) {
    return (
      <Alert severity="info">
        <AlertTitle>
          <FormattedMessage id="check.waiting.title" defaultMessage="Waiting for the host" />
        </AlertTitle>
        <FormattedMessage
          id="check.waiting.body"
          defaultMessage="This browser does not say which page frames the desk (no ancestorOrigins, no referrer). The desk will answer the first valid message from an allowed origin."
        />
      </Alert>
    );
  }
  if (allowed === null) {
    return (
      <Alert severity="info">
        <FormattedMessage
          id="check.checkingOrigin"
          defaultMessage="Checking {origin}…"
          values={{ origin: parentOrigin }}
        />
      </Alert>
    );
  }
  return allowed ? (
    <Alert severity="success">
      <AlertTitle>
        <FormattedMessage id="check.allowed.title" defaultMessage="This origin is allowed" />
      </AlertTitle>
      <FormattedMessage
        id="check.allowed.body"
        defaultMessage="{origin} may frame the desk and exchange messages with it (it matches <code>{rule}</code>)."
        values={{ origin, rule: rule ?? '', code }}
      />
    </Alert>
  ) : (
    <Alert severity="error">
      <AlertTitle>
        <FormattedMessage id="check.refused.title" defaultMessage="This origin is not allowed" />
      </AlertTitle>
      <FormattedMessage
        id="check.refused.body"
        defaultMessage="{origin} is not on <code>EMBED_ALLOWED_ORIGINS</code>: add it to the server’s configuration. The desk ignores its messages and posts nothing to it."
        values={{ origin, code }}
      />
    </Alert>
  );
}

function bridgeStatus(intl: IntlShape, status: BridgeState['status']): string {
  return intl.formatMessage(
    {
      id: 'check.bridgeStatus',
      defaultMessage:
        '{status, select, notFramed {Off: the desk is not in a frame.} loading {Starting…} connected {Connected: ready was sent.} waiting {Waiting for the host’s first message.} refused {Off: the framing origin is not allowed.} other {Off: it could not start.}}',
    },
    { status: status === 'not-framed' ? 'notFramed' : status },
  );
}

function LogItem({ entry }: { entry: BridgeLogEntry }) {
  const intl = useIntl();
  const headline = intl.formatMessage(
    {
      id: 'check.logHeadline',
      defaultMessage: '{direction, select, in {{type} from {origin}} other {{type} to {origin}}}',
    },
    {
      direction: entry.direction,
      type: entry.type ?? 'message',
      origin:
        entry.origin ||
        intl.formatMessage({ id: 'check.unknownOrigin', defaultMessage: 'an unknown origin' }),
    },
  );
  return (
    <ListItem disableGutters divider sx={{ display: 'block', minWidth: 0 }}>
      <Stack direction="row" useFlexGap sx={{ alignItems: 'center', flexWrap: 'wrap', gap: 1 }}>
        <Chip
          size="small"
          label={intl.formatMessage(
            {
              id: 'check.logOutcome',
              defaultMessage: '{outcome, select, sent {Sent} accepted {Accepted} other {Ignored}}',
            },
            { outcome: entry.outcome },
          )}
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
          {intl.formatTime(entry.at, {
            hour: '2-digit',
            minute: '2-digit',
            second: '2-digit',
            hourCycle: 'h23',
          })}
        </Typography>
      </Stack>
      {entry.reason && (
        <Typography variant="body2" sx={{ mt: 0.5, overflowWrap: 'anywhere' }}>
          <FormattedMessage
            id="check.why"
            defaultMessage="Why: {reason}"
            values={{ reason: entry.reason }}
          />
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
  const intl = useIntl();
  const settings = useQuery(sessionQueries.embed(client));
  const session = useQuery(sessionQueries.session(client));
  const bridge = useEmbedState();
  const title = intl.formatMessage({ id: 'check.title', defaultMessage: 'Embedding check' });
  useDocumentTitle(title);
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
        <PageHeading>{title}</PageHeading>
        <Typography color="text.secondary">
          <FormattedMessage
            id="check.protocol"
            defaultMessage="Protocol <code>{protocol}</code>, contract version {version}."
            values={{
              protocol: EMBED_PROTOCOL,
              version: EMBED_CONTRACT_VERSION,
              code: (chunks: ReactNode[]) => <code>{chunks}</code>,
            }}
          />
        </Typography>
      </Box>
      <OriginVerdict
        bridge={bridge}
        allowedOrigins={allowedOrigins}
        sessionFailed={settings.isError}
      />
      <Section title={intl.formatMessage({ id: 'check.frame', defaultMessage: 'This frame' })}>
        <Box component="dl" sx={{ m: 0 }}>
          <Fact label={intl.formatMessage({ id: 'check.framed', defaultMessage: 'Framed' })}>
            {framed
              ? intl.formatMessage({ id: 'check.yes', defaultMessage: 'Yes' })
              : intl.formatMessage({ id: 'check.no', defaultMessage: 'No' })}
          </Fact>
          {framed && (
            <Fact
              label={intl.formatMessage({
                id: 'check.framingPage',
                defaultMessage: 'Framing page',
              })}
            >
              {bridge?.targetOrigin ??
                bridge?.frame.parentOrigin ??
                intl.formatMessage({ id: 'check.notKnown', defaultMessage: 'Not known yet' })}
              {bridge?.frame.parentOriginFrom
                ? intl.formatMessage(
                    { id: 'check.from', defaultMessage: ' (from {source})' },
                    { source: bridge.frame.parentOriginFrom },
                  )
                : ''}
            </Fact>
          )}
          <Fact
            label={intl.formatMessage({
              id: 'check.messagesGoTo',
              defaultMessage: 'Messages go to',
            })}
          >
            {bridge?.targetOrigin ??
              (framed
                ? intl.formatMessage({ id: 'check.nobodyYet', defaultMessage: 'Nobody yet' })
                : intl.formatMessage({
                    id: 'check.nobody',
                    defaultMessage: 'Nobody: the desk posts messages only when framed',
                  }))}
          </Fact>
          <Fact label={intl.formatMessage({ id: 'check.bridge', defaultMessage: 'Bridge' })}>
            {bridge
              ? bridgeStatus(intl, bridge.status)
              : intl.formatMessage({ id: 'check.notRunning', defaultMessage: 'Not running.' })}
          </Fact>
          <Fact label={intl.formatMessage({ id: 'check.session', defaultMessage: 'Session' })}>
            {session.data
              ? intl.formatMessage(
                  {
                    id: 'check.sessionHeld',
                    defaultMessage:
                      "{held, select, token {{email}, held in this frame's memory: the browser blocks its cookies, so a reload asks to sign in again} frame {{email}, in this frame's own (partitioned) cookie} other {{email}, in the desk’s cookie}}",
                  },
                  {
                    email: session.data.agent.email,
                    held: session.data.transport === 'token' ? 'token' : framed ? 'frame' : 'tab',
                  },
                )
              : session.isPending
                ? intl.formatMessage({ id: 'check.reading', defaultMessage: 'Reading…' })
                : intl.formatMessage({ id: 'check.notSignedIn', defaultMessage: 'Not signed in' })}
          </Fact>
          <Fact
            label={intl.formatMessage({
              id: 'check.allowedOrigins',
              defaultMessage: 'Allowed origins',
            })}
          >
            {allowedOrigins
              ? intl.formatMessage(
                  {
                    id: 'check.allowedList',
                    defaultMessage: '{origins}, and the desk’s own origin',
                  },
                  { origins: allowedOrigins.join(', ') },
                )
              : settings.isError
                ? intl.formatMessage({
                    id: 'check.couldNotRead',
                    defaultMessage: 'Could not be read',
                  })
                : intl.formatMessage({ id: 'check.reading', defaultMessage: 'Reading…' })}
          </Fact>
        </Box>
      </Section>
      <Section
        title={intl.formatMessage({ id: 'check.storage', defaultMessage: 'Storage and cookies' })}
      >
        <Box component="dl" sx={{ m: 0 }}>
          <CheckRow
            label={intl.formatMessage({
              id: 'check.localStorage',
              defaultMessage: 'Local storage',
            })}
            result={checks?.localStorage}
          />
          <CheckRow
            label={intl.formatMessage({
              id: 'check.sessionStorage',
              defaultMessage: 'Session storage',
            })}
            result={checks?.sessionStorage}
          />
          <CheckRow
            label={intl.formatMessage({ id: 'check.cookies', defaultMessage: 'Cookies' })}
            result={checks?.cookies}
          />
          <CheckRow
            label={intl.formatMessage({
              id: 'check.storageAccess',
              defaultMessage: 'Unpartitioned storage',
            })}
            result={checks?.storageAccess}
          />
        </Box>
        <Typography variant="body2" color="text.secondary">
          <FormattedMessage
            id="check.storageNote"
            defaultMessage="The desk works without storage and cookies; without storage, drafts and the acting agent do not survive a reload."
          />
        </Typography>
      </Section>
      <Section title={intl.formatMessage({ id: 'check.messages', defaultMessage: 'Messages' })}>
        <Typography role="status" sx={{ mb: 1 }}>
          {intl.formatMessage(
            {
              id: 'check.received',
              defaultMessage:
                '{count, plural, =0 {No messages have arrived.} one {# message has arrived.} other {# messages have arrived.}}',
            },
            { count: received.length },
          )}
        </Typography>
        {log.length > 0 && (
          <List
            aria-label={intl.formatMessage({
              id: 'check.log',
              defaultMessage: 'Messages, newest first',
            })}
            disablePadding
          >
            {log.map((entry) => (
              <LogItem key={entry.seq} entry={entry} />
            ))}
          </List>
        )}
      </Section>
    </Stack>
  );
}
