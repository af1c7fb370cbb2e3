// Module boundaries from the tags in each project's package.json (`nx.tags`), after Nx's
// enforce-module-boundaries and the dependency-cruiser rules of domain-driven-hexagon:
//   - nothing imports an app (apps are deployables, not libraries);
//   - a library is imported only through its package name (its index.ts), never a deep path;
//   - scope:X may use scope:X and scope:shared only;
//   - type:domain stays pure: no gRPC, NATS, pg or drizzle, and only domain/util libraries;
//   - type:testing only from test files;
//   - a relative import never leaves its project.

import { posix } from 'node:path';

export interface Project {
  name: string;
  root: string;
  tags: string[];
}

export interface ImportSite {
  file: string;
  line: number;
  specifier: string;
}

const BANNED_IN_DOMAIN = [/^@grpc\//, /^@nats-io\//, /^pg$/, /^drizzle-orm/, /^drizzle-kit/, /^smpp$/];
const tag = (p: Project, kind: string) => p.tags.find((t) => t.startsWith(`${kind}:`))?.slice(kind.length + 1);
const isTestFile = (file: string) => /\.spec\.ts$/.test(file) || /\/testing\//.test(file);

export function checkImport(from: Project, site: ImportSite, projects: Project[]): string | undefined {
  const where = `${site.file}:${site.line}`;
  const spec = site.specifier;
  if (spec.startsWith('.')) {
    // A relative path may not leave its project: other projects are reached by package name.
    const resolved = posix.normalize(posix.join(posix.dirname(site.file), spec));
    return resolved.startsWith(`${from.root}/`) ? undefined : `${where}: relative import leaves ${from.root} (${spec})`;
  }
  const target = projects.find((p) => spec === p.name || spec.startsWith(`${p.name}/`));
  if (!target) {
    if (tag(from, 'type') === 'domain' && BANNED_IN_DOMAIN.some((re) => re.test(spec))) {
      return `${where}: domain code may not import ${spec}`;
    }
    return undefined;
  }
  if (target === from) return spec === from.name ? `${where}: ${from.name} imports itself by name` : undefined;
  if (spec !== target.name) return `${where}: deep import ${spec}; import ${target.name} (its index.ts)`;
  if (tag(target, 'type') === 'app') return `${where}: imports the app ${target.name}; move shared code to libs/`;
  if (tag(target, 'type') === 'testing' && !isTestFile(site.file)) {
    return `${where}: ${target.name} is for tests only`;
  }
  const fromScope = tag(from, 'scope');
  const toScope = tag(target, 'scope');
  if (toScope !== 'shared' && toScope !== fromScope) {
    return `${where}: scope:${fromScope} may not use ${target.name} (scope:${toScope})`;
  }
  if (tag(from, 'type') === 'domain' && !['domain', 'util'].includes(tag(target, 'type') ?? '')) {
    return `${where}: domain code may only use domain or util libraries, not ${target.name}`;
  }
  return undefined;
}

/** Import specifiers of a TypeScript source, with line numbers (static, dynamic and require). */
export function importsOf(file: string, source: string): ImportSite[] {
  const sites: ImportSite[] = [];
  const re = /(?:\bfrom\s+|\bimport\s*\(\s*|\brequire\s*\(\s*|^\s*import\s+)['"]([^'"]+)['"]/gm;
  for (const match of source.matchAll(re)) {
    const line = source.slice(0, match.index).split('\n').length;
    sites.push({ file, line, specifier: match[1]! });
  }
  return sites;
}
