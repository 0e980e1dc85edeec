// axe-core's browser bundle sets `window.axe` when loaded; it exports nothing to type.
declare module 'axe-core/axe.min.js';
