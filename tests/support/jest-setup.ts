import { setLogLevel } from '../../backend/src/platform/logger';

// Test output stays readable: the process logger writes warnings and errors only, unless
// TEST_LOG_LEVEL asks for more. Tests that assert on log lines raise the level themselves.
setLogLevel(process.env.TEST_LOG_LEVEL ?? 'warn');
