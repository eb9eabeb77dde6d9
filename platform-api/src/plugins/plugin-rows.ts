import type { PluginManifest } from './manifest.ts';

export interface VersionRow {
  id: string;
  workspace_id: string;
  name: string;
  version: string;
  manifest: PluginManifest;
  sha256: string;
  signed_by: string | null;
  published_by: string | null;
  published_at: Date | string;
}

export interface InstallationRow {
  workspace_id: string;
  name: string;
  version_id: string;
  previous_version_id: string | null;
  status: PluginStatus;
  status_reason: string | null;
  config: Record<string, string>;
  consecutive_faults: number;
  installed_by: string | null;
  installed_at: Date | string;
  updated_at: Date | string;
}

export type PluginStatus = 'enabled' | 'disabled' | 'quarantined';

/** Columns of a version, the module's bytes left out (they are read only to run it). */
export const VERSION_COLUMNS =
  'id, workspace_id, name, version, manifest, sha256, signed_by, published_by, published_at';

/** A published version, as the API shows it. */
export interface PluginVersion {
  id: string;
  name: string;
  version: string;
  description: string;
  author: string;
  sha256: string;
  signedBy?: string;
  publishedAt: string;
  manifest: PluginManifest;
}

/** An installed plugin, as the API shows it. */
export interface PluginInstallation {
  name: string;
  version: string;
  versionId: string;
  previousVersion?: string;
  status: PluginStatus;
  statusReason?: string;
  config: Record<string, string>;
  installedAt: string;
  updatedAt: string;
  manifest: PluginManifest;
}

const iso = (value: Date | string) => new Date(value).toISOString();

export function toVersion(row: VersionRow): PluginVersion {
  return {
    id: row.id,
    name: row.name,
    version: row.version,
    description: row.manifest.description,
    author: row.manifest.author,
    sha256: row.sha256,
    ...(row.signed_by ? { signedBy: row.signed_by } : {}),
    publishedAt: iso(row.published_at),
    manifest: row.manifest,
  };
}

export function toInstallation(
  row: InstallationRow,
  version: VersionRow,
  previous?: Pick<VersionRow, 'version'>,
): PluginInstallation {
  return {
    name: row.name,
    version: version.version,
    versionId: version.id,
    ...(previous ? { previousVersion: previous.version } : {}),
    status: row.status,
    ...(row.status_reason ? { statusReason: row.status_reason } : {}),
    config: row.config,
    installedAt: iso(row.installed_at),
    updatedAt: iso(row.updated_at),
    manifest: version.manifest,
  };
}
