import { UserLogger } from './index.js';

window.UserLogger = UserLogger;
