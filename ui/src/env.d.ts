// Types Vite adds to browser code: CSS imports and `new URL(..., import.meta.url)` workers.
/// <reference types="vite/client" />
