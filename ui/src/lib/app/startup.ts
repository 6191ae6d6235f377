// What the banners above every page need to know, asked once at launch beside the plan: the
// first page is drawn with them in place. Asked by each banner after the page was drawn, a
// banner appeared a moment later and pushed the page down, under the person's pointer (a click
// meant for Edit landed on what moved there).
import { appInfo, getProfile } from '../api';

export interface Startup {
  /** The profile's name; null when it could not be read (no banner asks then). */
  profileName: string | null;
  /** Why nothing can be saved, when the database could only be opened for reading. */
  writesOff: string | null;
}

/** Asks both at once; a failed question counts as nothing to say. */
export async function askStartup(): Promise<Startup> {
  const [profile, info] = await Promise.all([
    getProfile().catch(() => null),
    appInfo().catch(() => null),
  ]);
  return { profileName: profile?.name ?? null, writesOff: info?.writesOff ?? null };
}
