import { aspnetReader } from './aspnet.js';
import { djangoReader } from './django.js';
import { flaskReader } from './flask.js';
import { gorillaReader } from './gorilla.js';
import { laravelReader } from './laravel.js';
import { nodeReader } from './node.js';
import { phpReader } from './php.js';
import { railsReader } from './rails.js';
import { springReader } from './spring.js';
import type { AppSettingsReader } from './types.js';

/** Every app session settings reader. */
export const APP_READERS: readonly AppSettingsReader[] = [
  aspnetReader,
  djangoReader,
  flaskReader,
  gorillaReader,
  laravelReader,
  nodeReader,
  phpReader,
  railsReader,
  springReader,
];
