import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createDesk, DeskApp } from './app/create-desk.tsx';
import { EmbedProvider } from './embed/embed-context.tsx';
import { startEmbedding } from './embed/start-embed.ts';
import { startLive } from './app/start-live.ts';

const desk = createDesk();
// In a CRM's frame, the postMessage bridge drives `desk.controller` and reports
// `desk.events` to the host; in any case the desk's tabs keep each other up to date.
const embedding = startEmbedding(desk);
// Changes reach the desk as they happen; it polls only while the feed is down.
startLive(desk);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <EmbedProvider handle={embedding}>
      <DeskApp desk={desk} />
    </EmbedProvider>
  </StrictMode>,
);
