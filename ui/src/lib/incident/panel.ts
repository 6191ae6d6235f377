// What the incident console hands its panels: the plan, the incident as it stands, and `act`,
// which records a one-click action (a refusal goes to the toast) and says whether it was done.
import type { Incident, IncidentAction, Plan } from '../api';

export type Act = (action: IncidentAction) => Promise<boolean>;

export type PanelProps = {
  plan: Plan;
  incident: Incident;
  act: Act;
  /** A closed incident: shown as it is, nothing to change. */
  readonly?: boolean;
};
