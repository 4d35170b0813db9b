// Runs in every test file's environment. Tests never log to the console unless asked to.
process.env.LOG_LEVEL ??= 'silent';
