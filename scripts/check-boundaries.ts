// `npm run lint`: checks every import of every project against the tag rules in
// scripts/lib/boundaries.ts. With project roots as arguments, checks only those (Nx lint target).
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { checkImport, importsOf, type Project } from './lib/boundaries';

const root = join(__dirname, '..');

function findProjects(): Project[] {
  const dirs = ['apps', 'libs', 'libs/platform'].flatMap((d) =>
    readdirSync(join(root, d)).map((name) => join(d, name)),
  );
  return dirs
    .filter((d) => existsSync(join(root, d, 'package.json')))
    .map((d) => {
      const pkg = JSON.parse(readFileSync(join(root, d, 'package.json'), 'utf8'));
      return { name: pkg.name, root: d, tags: pkg.nx?.tags ?? [] };
    });
}

function sourceFiles(dir: string): string[] {
  return readdirSync(join(root, dir)).flatMap((name) => {
    const path = join(dir, name);
    if (name === 'node_modules' || name === 'gen') return [];
    if (statSync(join(root, path)).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

const projects = findProjects();
const only = process.argv.slice(2).map((p) => relative(root, join(process.cwd(), p)));
const problems: string[] = [];
for (const project of projects) {
  if (only.length && !only.includes(project.root)) continue;
  if (!project.tags.some((t) => t.startsWith('scope:')) || !project.tags.some((t) => t.startsWith('type:'))) {
    problems.push(`${project.root}/package.json: needs a scope:* and a type:* tag`);
  }
  for (const file of sourceFiles(project.root)) {
    for (const site of importsOf(file, readFileSync(join(root, file), 'utf8'))) {
      const problem = checkImport(project, site, projects);
      if (problem) problems.push(problem);
    }
  }
}
for (const problem of problems) console.error(problem);
console.log(problems.length ? `${problems.length} boundary violation(s)` : `module boundaries: ${projects.length} projects clean`);
process.exit(problems.length ? 1 : 0);
