import Avatar from '@mui/material/Avatar';
import Box from '@mui/material/Box';
import Breadcrumbs from '@mui/material/Breadcrumbs';
import Link from '@mui/material/Link';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { FormattedMessage, useIntl } from 'react-intl';
import type { Call } from '../../../contract/calls.ts';
import { languageName } from '../../../contract/languages.ts';
import { useCallApiClient } from '../../desk/api-client.tsx';
import { CopyButton } from '../../desk/copy-button.tsx';
import { useDeskFormat } from '../../desk/format.ts';
import { safeHttpUrl } from '../../lib/safe-url.ts';
import { directoryQueries } from '../api/directory-queries.ts';
import { hasFailReason, isKnownFailReason, useCallWords } from '../common/call-words.ts';
import { PhoneNumber } from '../common/phone-number.tsx';

// The parts of a call's detail below its header. Every string from the call is rendered as
// text (never as HTML), only http(s) URLs ever become links or images, and a fact the call
// does not have is left out rather than shown as "—".

/** A link when the URL is http(s), else the text as it came. */
function SafeLink({ url, children }: { url: string | null | undefined; children?: ReactNode }) {
  const intl = useIntl();
  const href = safeHttpUrl(url);
  if (!url) return null;
  if (!href) {
    return (
      <Typography
        component="span"
        variant="body2"
        sx={{ overflowWrap: 'anywhere' }}
        title={intl.formatMessage({ id: 'link.notWeb', defaultMessage: 'Not a web link' })}
      >
        {url}
      </Typography>
    );
  }
  return (
    <Link
      href={href}
      target="_blank"
      rel="noopener noreferrer nofollow"
      sx={{ overflowWrap: 'anywhere' }}
    >
      {children ?? url}
    </Link>
  );
}

/** A value in the agent's words, with the service's own word under it for support. */
function Worded({ words, raw }: { words: string; raw: string }) {
  if (words === raw) return <>{raw}</>;
  return (
    <>
      {words}
      <Typography
        component="span"
        variant="caption"
        color="text.secondary"
        sx={{ display: 'block', fontFamily: 'monospace' }}
        lang="en"
      >
        {raw}
      </Typography>
    </>
  );
}

type Item = readonly [key: string, term: ReactNode, value: ReactNode];

function Fields({ items }: { items: ReadonlyArray<Item | false | null | undefined | ''> }) {
  const shown = items.filter((item): item is Item => Boolean(item));
  return (
    <Box
      component="dl"
      sx={{
        display: 'grid',
        gridTemplateColumns: { xs: 'minmax(0, 1fr)', sm: 'max-content minmax(0, 1fr)' },
        columnGap: 2,
        rowGap: { xs: 0.25, sm: 1 },
        m: 0,
      }}
    >
      {shown.map(([key, term, value]) => (
        <Box key={key} sx={{ display: 'contents' }}>
          <Typography
            component="dt"
            variant="body2"
            color="text.secondary"
            sx={{ mt: { xs: 1, sm: 0 } }}
          >
            {term}
          </Typography>
          <Typography component="dd" variant="body2" sx={{ m: 0, overflowWrap: 'anywhere' }}>
            {value}
          </Typography>
        </Box>
      ))}
    </Box>
  );
}

function MenuPathBreadcrumb({ call }: { call: Call }) {
  const client = useCallApiClient();
  const intl = useIntl();
  const menus = useQuery(directoryQueries.menus(client));
  const path = call.menu_path;
  if (!path?.materialized_path && !path?.name) return null;
  const ids = (path.materialized_path ?? '').split('/').filter(Boolean);
  const names = ids.map((id, index) => {
    if (index === ids.length - 1 && path.name) return path.name;
    return (
      menus.data?.find((m) => String(m.id) === id)?.name ??
      intl.formatMessage({ id: 'menu.numbered', defaultMessage: 'Menu {id}' }, { id })
    );
  });
  return (
    <Breadcrumbs
      aria-label={intl.formatMessage({ id: 'menu.path', defaultMessage: 'Menu path' })}
      sx={{ '& ol': { flexWrap: 'wrap' } }}
    >
      {(names.length > 0 ? names : [path.name]).map((name, index) => (
        <Typography
          key={`${index}-${name}`}
          variant="body2"
          color={index === names.length - 1 ? 'text.primary' : 'text.secondary'}
        >
          {name}
        </Typography>
      ))}
    </Breadcrumbs>
  );
}

export function CallFacts({ call }: { call: Call }) {
  const intl = useIntl();
  const words = useCallWords();
  const format = useDeskFormat();
  const agent = call.agent_info;
  const avatar = safeHttpUrl(agent?.avatar_url);
  const endedBy = words.disconnectedBy(call.disconnected_by);
  return (
    <Fields
      items={[
        agent && [
          'agent',
          intl.formatMessage({ id: 'details.agent', defaultMessage: 'Agent' }),
          <Stack key="agent" direction="row" spacing={1} sx={{ alignItems: 'center' }}>
            <Avatar src={avatar} alt="" sx={{ width: 24, height: 24 }}>
              {(agent.name ?? '?').slice(0, 1)}
            </Avatar>
            <span>
              {agent.name ?? String(agent.id)}
              {call.agent_email ? ` (${call.agent_email})` : ''}
            </span>
          </Stack>,
        ],
        (call.end_user_number || call.end_user) && [
          'customer',
          intl.formatMessage({ id: 'details.customer', defaultMessage: 'Customer' }),
          <span key="customer">
            <PhoneNumber value={call.end_user_number} />
            {[
              call.end_user
                ? intl.formatMessage(
                    { id: 'details.endUserId', defaultMessage: 'customer #{id}' },
                    { id: String(call.end_user.id) },
                  )
                : null,
              call.end_user?.identifier,
              call.end_user?.out_contact_id
                ? intl.formatMessage(
                    { id: 'details.contact', defaultMessage: 'contact {id}' },
                    { id: call.end_user.out_contact_id },
                  )
                : null,
            ]
              .filter(Boolean)
              .map((fact) => ` · ${fact}`)
              .join('')}
          </span>,
        ],
        call.out_ticket_id && [
          'ticket',
          intl.formatMessage({ id: 'details.ticket', defaultMessage: 'Ticket' }),
          call.out_ticket_url ? (
            <SafeLink key="ticket" url={call.out_ticket_url}>
              {call.out_ticket_id}
            </SafeLink>
          ) : (
            call.out_ticket_id
          ),
        ],
        call.outbound_number && [
          'outbound',
          intl.formatMessage({ id: 'details.outboundNumber', defaultMessage: 'Called from' }),
          <span key="outbound">
            <PhoneNumber value={call.outbound_number} />
            <CopyButton
              value={call.outbound_number}
              label={intl.formatMessage({
                id: 'details.copyOutbound',
                defaultMessage: 'Copy the number called from',
              })}
            />
          </span>,
        ],
        (call.menu_path?.name || call.menu_path?.materialized_path) && [
          'menu',
          intl.formatMessage({ id: 'details.menu', defaultMessage: 'Menu' }),
          <MenuPathBreadcrumb key="menu" call={call} />,
        ],
        call.lang && [
          'lang',
          intl.formatMessage({ id: 'details.language', defaultMessage: 'Language' }),
          `${languageName(call.lang)} (${call.lang})`,
        ],
        call.recording_url && [
          'recording',
          intl.formatMessage({ id: 'details.recording', defaultMessage: 'Recording' }),
          <SafeLink key="recording" url={call.recording_url}>
            {intl.formatMessage({
              id: 'details.listen',
              defaultMessage: 'Listen to the recording',
            })}
          </SafeLink>,
        ],
        call.recording_permission && [
          'recordingPermission',
          intl.formatMessage({
            id: 'details.recordingPermission',
            defaultMessage: 'Recording allowed',
          }),
          <Worded
            key="recordingPermission"
            words={words.recordingPermission(call.recording_permission)}
            raw={call.recording_permission}
          />,
        ],
        call.scheduled_at && [
          'scheduled',
          intl.formatMessage({ id: 'details.scheduledFor', defaultMessage: 'Scheduled for' }),
          <time key="scheduled" dateTime={call.scheduled_at}>
            {format.dateTime(call.scheduled_at)}
          </time>,
        ],
        [
          'created',
          intl.formatMessage({ id: 'details.created', defaultMessage: 'Created' }),
          <time key="created" dateTime={call.created_at}>
            {format.dateTime(call.created_at)}
          </time>,
        ],
        call.ends_at && [
          'ended',
          intl.formatMessage({ id: 'details.ended', defaultMessage: 'Ended' }),
          <time key="ended" dateTime={call.ends_at}>
            {format.dateTime(call.ends_at)}
          </time>,
        ],
        hasFailReason(call.fail_reason) && [
          'failReason',
          intl.formatMessage({ id: 'details.failReason', defaultMessage: 'Why it failed' }),
          <Worded
            key="failReason"
            words={words.failReason(call.fail_reason)}
            raw={call.fail_reason}
          />,
        ],
        call.fail_details && [
          'failDetails',
          intl.formatMessage({ id: 'details.failDetails', defaultMessage: 'Details' }),
          call.fail_details,
        ],
        endedBy && [
          'endedBy',
          intl.formatMessage({ id: 'details.endedBy', defaultMessage: 'Ended by' }),
          <Worded key="endedBy" words={endedBy} raw={call.disconnected_by!} />,
        ],
        call.parent_id !== null && [
          'parent',
          intl.formatMessage({ id: 'details.parent', defaultMessage: 'Follows up' }),
          <Link key="parent" href={`/calls/${call.parent_id}`}>
            {intl.formatMessage(
              { id: 'call.heading', defaultMessage: 'Call {id}' },
              { id: String(call.parent_id) },
            )}
          </Link>,
        ],
      ]}
    />
  );
}

function Row({ title, facts }: { title: ReactNode; facts: Array<string | null | false> }) {
  return (
    <Box
      component="li"
      sx={{ py: 1, borderTop: 1, borderColor: 'divider', '&:first-of-type': { borderTop: 0 } }}
    >
      <Typography variant="body2" sx={{ fontWeight: 600, overflowWrap: 'anywhere' }}>
        {title}
      </Typography>
      <Typography variant="body2" color="text.secondary" sx={{ overflowWrap: 'anywhere' }}>
        {facts.filter(Boolean).join(' · ')}
      </Typography>
    </Box>
  );
}

/** The people on the call, by name: the directory's agents, the call's customer. */
export function ParticipantsList({ call }: { call: Call }) {
  const client = useCallApiClient();
  const intl = useIntl();
  const words = useCallWords();
  const format = useDeskFormat();
  const agents = useQuery(directoryQueries.agents(client));
  const agentName = (id: number | null) => {
    if (id === null) return null;
    const known = [
      call.agent_info,
      ...call.transfers.flatMap((t) => [t.from_agent, t.to_agent]),
    ].find((a) => a?.id === id);
    return known?.name ?? agents.data?.find((a) => a.id === id)?.name ?? null;
  };
  const cancelled = call.status === 'cancelled';
  return (
    <Box
      component="ul"
      aria-label={intl.formatMessage({ id: 'participants.list', defaultMessage: 'Participants' })}
      sx={{ listStyle: 'none', m: 0, p: 0 }}
    >
      {call.participants.map((p) => {
        const who =
          p.type === 'agent'
            ? (agentName(p.user_id) ?? words.participantType(p.type))
            : call.end_user_number
              ? format.phone(call.end_user_number)
              : words.participantType(p.type);
        const role = words.participantType(p.type);
        const status =
          cancelled && p.status === 'failed'
            ? intl.formatMessage({
                id: 'participantStatus.notCalled',
                defaultMessage: 'Not called: the call was cancelled',
              })
            : words.participantStatus(p.status);
        return (
          <Row
            key={p.id}
            title={who === role ? role : `${who} · ${role}`}
            facts={[
              status,
              p.connected_at &&
                intl.formatMessage(
                  { id: 'participants.joined', defaultMessage: 'joined {time}' },
                  { time: format.time(p.connected_at) },
                ),
              p.ended_at &&
                !(cancelled && p.status === 'failed') &&
                intl.formatMessage(
                  { id: 'participants.left', defaultMessage: 'left {time}' },
                  { time: format.time(p.ended_at) },
                ),
              p.call_duration !== null &&
                p.call_duration > 0 &&
                intl.formatMessage(
                  { id: 'participants.talk', defaultMessage: 'talked {duration}' },
                  { duration: format.duration(p.call_duration) },
                ),
              p.hold_duration !== null &&
                p.hold_duration > 0 &&
                intl.formatMessage(
                  { id: 'participants.hold', defaultMessage: 'on hold {duration}' },
                  { duration: format.duration(p.hold_duration) },
                ),
              hasFailReason(p.fail_reason) &&
                !(cancelled && p.fail_reason === 'ag_canceled') &&
                words.failReason(p.fail_reason),
            ]}
          />
        );
      })}
    </Box>
  );
}

export function TransfersList({ call }: { call: Call }) {
  const intl = useIntl();
  const words = useCallWords();
  const format = useDeskFormat();
  const menu = (name: string | null | undefined) =>
    name
      ? intl.formatMessage({ id: 'timeline.toMenu', defaultMessage: 'menu {menu}' }, { menu: name })
      : null;
  return (
    <Box
      component="ul"
      aria-label={intl.formatMessage({ id: 'transfers.list', defaultMessage: 'Transfers' })}
      sx={{ listStyle: 'none', m: 0, p: 0 }}
    >
      {call.transfers.map((t) => {
        const from = t.from_agent?.name ?? menu(t.from_menu?.name) ?? '?';
        const to = t.to_agent?.name ?? menu(t.to_menu?.name) ?? '?';
        return (
          <Row
            key={t.id}
            title={`${from} → ${to}`}
            facts={[
              words.transferStatus(t.status),
              t.created_at && format.dateTime(t.created_at),
              hasFailReason(t.fail_reason) &&
                (isKnownFailReason(t.fail_reason)
                  ? words.failReason(t.fail_reason)
                  : t.fail_reason),
            ]}
          />
        );
      })}
    </Box>
  );
}

export function MediaList({ call }: { call: Call }) {
  const intl = useIntl();
  return (
    <Box
      component="ul"
      aria-label={intl.formatMessage({ id: 'media.list', defaultMessage: 'Photos and videos' })}
      sx={{ m: 0, pl: 2.5 }}
    >
      {call.photos.map((p, i) => (
        <li key={`photo-${p.id}`}>
          <SafeLink url={p.url}>
            <FormattedMessage
              id="media.photo"
              defaultMessage="Photo {n}{type, select, none {} other { ({type})}}"
              values={{ n: i + 1, type: p.photo_type || 'none' }}
            />
          </SafeLink>
        </li>
      ))}
      {call.videos.map((v, i) => (
        <li key={`video-${v.id}`}>
          <SafeLink url={v.url}>
            <FormattedMessage id="media.video" defaultMessage="Video {n}" values={{ n: i + 1 }} />
          </SafeLink>
        </li>
      ))}
    </Box>
  );
}
