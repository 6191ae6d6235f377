import { mount } from 'svelte';

import { markLaunch } from './lib/api/launch';

import './app.css';
import App from './App.svelte';

markLaunch('script');

const target = document.getElementById('app');
if (target === null) {
  throw new Error('index.html has no #app element');
}

export default mount(App, { target });
