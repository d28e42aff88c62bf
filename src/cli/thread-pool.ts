/**
 * Imported first by the CLI entry, before anything can start libuv's thread pool (its size is fixed when
 * the first task runs). sharp runs each libvips operation on one of these threads, and so do file and DNS
 * work; Node's default of 4 lets four long image operations of one model hold every thread while a
 * background removal or a health check's I/O waits behind them. Each model runs at most its
 * `capacity.maxConcurrent` operations (2 by default) and keeps its slot until they really end, so 16
 * threads leave room for every built-in model at once plus I/O. An operator's own setting wins.
 */
process.env.UV_THREADPOOL_SIZE ??= '16';

export {};
