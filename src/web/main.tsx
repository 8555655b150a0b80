import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createDesk, DeskApp } from './app/create-desk.tsx';

// `desk.controller` is what an embedding bridge (a postMessage listener for a CRM host)
// drives: dial with a prefill, open a call, set the acting agent.
const desk = createDesk();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <DeskApp desk={desk} />
  </StrictMode>,
);
