/**
 * The ledger's Lua scripts. Every write that touches more than one key, or that must read before
 * it writes (first writer wins, terminal states stay terminal, de-duplicated job ids), runs as one
 * script, so concurrent intake, workers and the poller never interleave inside an update and no
 * JSON blob is ever read, changed in Node and written back.
 *
 * Scripts derive index and mapping keys from the prefix passed in ARGV (as BullMQ's own scripts
 * do). That is safe on Redis Cluster because the prefix is a hash tag (`{sic}`): every key below it
 * hashes to the same slot as the declared KEYS.
 */
import { loadScript } from '../redis/lua-script';

// Each script's KEYS, ARGV and reply are described in its header (src/ledger/lua/*.lua); the
// helpers they share (touch, pushEvent) are in lua/includes/ledger-prelude.lua.
export const createOrGetScript = loadScript(__dirname, 'lua/create-or-get.lua', { keys: 3 });
export const updateScript = loadScript(__dirname, 'lua/update.lua', { keys: 1 });
export const recordTaskScript = loadScript(__dirname, 'lua/record-task.lua', { keys: 1 });
export const updateTaskScript = loadScript(__dirname, 'lua/update-task.lua', { keys: 1 });
export const addJobIdScript = loadScript(__dirname, 'lua/add-job-id.lua', { keys: 1 });
