import { AiBlocksHostApp } from './host-app.js';

customElements.define('ai-blocks-host-app', AiBlocksHostApp);
const app = new AiBlocksHostApp();
document.getElementById('host')?.append(app);
// Tests and people at the console can inspect the host.
(window as unknown as { aiBlocksHost: AiBlocksHostApp }).aiBlocksHost = app;
