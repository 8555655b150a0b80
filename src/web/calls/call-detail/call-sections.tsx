import Avatar from '@mui/material/Avatar';
import Box from '@mui/material/Box';
import Breadcrumbs from '@mui/material/Breadcrumbs';
import Link from '@mui/material/Link';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import type { Call } from '../../../contract/calls.ts';
import { languageName } from '../../../contract/languages.ts';
import { formatDateTime, formatDuration } from '../../lib/format.ts';
import { safeHttpUrl } from '../../lib/safe-url.ts';
import { useCallApiClient } from '../../desk/api-client.tsx';
import { directoryQueries } from '../api/directory-queries.ts';
import {
  disconnectedByLabel,
  failReasonLabel,
  hasFailReason,
  participantLabel,
  recordingPermissionLabel,
  transferStatusLabel,
} from '../common/call-labels.ts';

// The parts of a call's detail. Every string from the call is rendered as text (never as
// HTML), and only http(s) URLs ever become links or images.

/** A link when the URL is http(s), else the text as it came. */
export function SafeLink({
  url,
  children,
}: {
  url: string | null | undefined;
  children?: ReactNode;
}) {
  const href = safeHttpUrl(url);
  if (!url) return <>—</>;
  if (!href) {
    return (
      <Typography
        component="span"
        variant="body2"
        sx={{ overflowWrap: 'anywhere' }}
        title="Not a web link"
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

export function Fields({ items }: { items: ReadonlyArray<readonly [string, ReactNode]> }) {
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
      {items.map(([term, value]) => (
        <Box key={term} sx={{ display: 'contents' }}>
          <Typography
            component="dt"
            variant="body2"
            color="text.secondary"
            sx={{ mt: { xs: 1, sm: 0 } }}
          >
            {term}
          </Typography>
          <Typography component="dd" variant="body2" sx={{ m: 0, overflowWrap: 'anywhere' }}>
            {value ?? '—'}
          </Typography>
        </Box>
      ))}
    </Box>
  );
}

export function MenuPathBreadcrumb({ call }: { call: Call }) {
  const client = useCallApiClient();
  const menus = useQuery(directoryQueries.menus(client));
  const path = call.menu_path;
  if (!path?.materialized_path && !path?.name) return <>—</>;
  const ids = (path.materialized_path ?? '').split('/').filter(Boolean);
  const names = ids.map((id, index) => {
    if (index === ids.length - 1 && path.name) return path.name;
    return menus.data?.find((m) => String(m.id) === id)?.name ?? `Menu ${id}`;
  });
  return (
    <Breadcrumbs aria-label="Menu path" sx={{ '& ol': { flexWrap: 'wrap' } }}>
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
  const agent = call.agent_info;
  const avatar = safeHttpUrl(agent?.avatar_url);
  return (
    <Fields
      items={[
        [
          'Agent',
          agent ? (
            <Stack direction="row" spacing={1} sx={{ alignItems: 'center' }}>
              <Avatar src={avatar} alt="" sx={{ width: 24, height: 24 }}>
                {(agent.name ?? '?').slice(0, 1)}
              </Avatar>
              <span>
                {agent.name ?? `Agent ${agent.id}`}
                {call.agent_email ? ` (${call.agent_email})` : ''}
              </span>
            </Stack>
          ) : (
            'Not assigned'
          ),
        ],
        [
          'End user',
          call.end_user || call.end_user_number
            ? [
                call.end_user_number,
                call.end_user ? `#${call.end_user.id}` : null,
                call.end_user?.identifier,
                call.end_user?.out_contact_id ? `contact ${call.end_user.out_contact_id}` : null,
              ]
                .filter(Boolean)
                .join(' · ')
            : '—',
        ],
        [
          'Ticket',
          call.out_ticket_id ? (
            call.out_ticket_url ? (
              <SafeLink url={call.out_ticket_url}>{call.out_ticket_id}</SafeLink>
            ) : (
              call.out_ticket_id
            )
          ) : (
            '—'
          ),
        ],
        ['Outbound number', call.outbound_number ?? '—'],
        ['Menu', <MenuPathBreadcrumb key="menu" call={call} />],
        ['Language', call.lang ? `${languageName(call.lang)} (${call.lang})` : '—'],
        [
          'Recording',
          call.recording_url ? (
            <SafeLink url={call.recording_url}>Listen to the recording</SafeLink>
          ) : (
            'None'
          ),
        ],
        [
          'Recording permission',
          call.recording_permission ? recordingPermissionLabel(call.recording_permission) : '—',
        ],
        ['Scheduled at', call.scheduled_at ? formatDateTime(call.scheduled_at) : '—'],
        ['Created', formatDateTime(call.created_at)],
        ['Wait', formatDuration(call.wait_duration)],
        ['Talk', formatDuration(call.call_duration)],
        ['Hold', formatDuration(call.hold_duration)],
        ...(hasFailReason(call.fail_reason)
          ? ([['Fail reason', failReasonLabel(call.fail_reason)]] as const)
          : []),
        ...(call.fail_details ? ([['Fail details', call.fail_details]] as const) : []),
        ...(call.disconnected_by && call.disconnected_by !== 'disconnected_by_unknown'
          ? ([['Disconnected by', disconnectedByLabel(call.disconnected_by)]] as const)
          : []),
        ...(call.parent_id !== null
          ? ([
              [
                'Parent call',
                <Link key="parent" href={`/calls/${call.parent_id}`}>
                  Call {call.parent_id}
                </Link>,
              ],
            ] as const)
          : []),
      ]}
    />
  );
}

function Empty({ children }: { children: ReactNode }) {
  return (
    <Typography variant="body2" color="text.secondary">
      {children}
    </Typography>
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

export function ParticipantsList({ call }: { call: Call }) {
  if (call.participants.length === 0) return <Empty>No participants yet.</Empty>;
  return (
    <Box component="ul" aria-label="Participants" sx={{ listStyle: 'none', m: 0, p: 0 }}>
      {call.participants.map((p) => (
        <Row
          key={p.id}
          title={`${participantLabel(p.type)} · ${participantLabel(p.status)}`}
          facts={[
            p.connected_at && `connected ${formatDateTime(p.connected_at)}`,
            p.ended_at && `ended ${formatDateTime(p.ended_at)}`,
            p.call_duration !== null && `talk ${formatDuration(p.call_duration)}`,
            p.hold_duration !== null && `hold ${formatDuration(p.hold_duration)}`,
            hasFailReason(p.fail_reason) && failReasonLabel(p.fail_reason),
          ]}
        />
      ))}
    </Box>
  );
}

export function TransfersList({ call }: { call: Call }) {
  if (call.transfers.length === 0) return <Empty>No transfers.</Empty>;
  return (
    <Box component="ul" aria-label="Transfers" sx={{ listStyle: 'none', m: 0, p: 0 }}>
      {call.transfers.map((t) => {
        const from =
          t.from_agent?.name ?? (t.from_menu?.name ? `menu ${t.from_menu.name}` : null) ?? '—';
        const to = t.to_agent?.name ?? (t.to_menu?.name ? `menu ${t.to_menu.name}` : null) ?? '—';
        return (
          <Row
            key={t.id}
            title={`${from} → ${to}`}
            facts={[
              transferStatusLabel(t.status),
              t.created_at && formatDateTime(t.created_at),
              hasFailReason(t.fail_reason) && failReasonLabel(t.fail_reason),
            ]}
          />
        );
      })}
    </Box>
  );
}

export function MediaList({ call }: { call: Call }) {
  if (call.photos.length === 0 && call.videos.length === 0)
    return <Empty>No photos or videos.</Empty>;
  return (
    <Box component="ul" aria-label="Photos and videos" sx={{ m: 0, pl: 2.5 }}>
      {call.photos.map((p, i) => (
        <li key={`photo-${p.id}`}>
          <SafeLink
            url={p.url}
          >{`Photo ${i + 1}${p.photo_type ? ` (${p.photo_type})` : ''}`}</SafeLink>
        </li>
      ))}
      {call.videos.map((v, i) => (
        <li key={`video-${v.id}`}>
          <SafeLink url={v.url}>{`Video ${i + 1}`}</SafeLink>
        </li>
      ))}
    </Box>
  );
}
