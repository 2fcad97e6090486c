import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { EmbedPage } from './EmbedPage.tsx';
import { readEmbedLocation } from './location.ts';
import './embed.css';

const where = readEmbedLocation(window.location);
document.documentElement.classList.toggle('dark', where.theme === 'dark');
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <EmbedPage {...where} />
  </StrictMode>,
);
