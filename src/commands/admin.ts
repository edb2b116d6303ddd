// `paperboy admin`: make the first admin, grant or revoke roles, list staff. Every change is audit-logged as "cli".
import { ensureUser, findUserByEmail, listStaff, normalizeEmail, ROLES, type Role } from '../accounts/index.ts';
import { setUserRole } from '../community/index.ts';
import { openMigratedStore, type Command } from './command.ts';

const CLI = { id: null, label: 'cli' };

export const command: Command = {
  name: 'admin',
  summary: 'Manage curators and admins: create the first admin, grant or revoke roles',
  help: `
Usage: paperboy admin create EMAIL
       paperboy admin grant EMAIL curator|admin [--reason TEXT]
       paperboy admin revoke EMAIL [--reason TEXT]
       paperboy admin list

  create   make EMAIL an admin, creating the account if nobody has signed in with it yet
           (use it once for the first admin; admins then grant roles on /curate or here)
  grant    give an existing account the curator or admin role
  revoke   make an account an ordinary member again
  list     print every curator and admin

Each change is written to the curators' audit log with actor "cli".
Exit status: 0 done, 1 no such account, 2 bad usage.
`,
  options: { reason: { type: 'string' } },
  async run(ctx, { values, positionals }) {
    const [action, rawEmail, rawRole] = positionals;
    const usage = (msg: string) => {
      process.stderr.write(`paperboy admin: ${msg}\nRun "paperboy admin --help" for usage.\n`);
      return 2;
    };
    if (!action || !['create', 'grant', 'revoke', 'list'].includes(action)) return usage('give an action: create, grant, revoke or list');
    const email = rawEmail ? normalizeEmail(rawEmail) : undefined;
    if (action !== 'list' && !email) return usage(`EMAIL: "${rawEmail ?? ''}" is not an email address`);
    let role: Role = 'admin';
    if (action === 'grant') {
      if (!rawRole || !(ROLES as readonly string[]).includes(rawRole) || rawRole === 'member') return usage('grant needs a role: curator or admin');
      role = rawRole as Role;
    }
    if (action === 'revoke') role = 'member';
    const reason = typeof values.reason === 'string' && values.reason.trim() ? values.reason.trim() : `paperboy admin ${action}`;
    const store = await openMigratedStore(ctx);
    try {
      const now = new Date();
      if (action === 'list') {
        for (const u of await listStaff(store.db)) process.stdout.write(`${u.role.padEnd(8)} ${u.email}${u.suspended ? ' (suspended)' : ''}\n`);
        return 0;
      }
      const user = action === 'create' ? await ensureUser(store.db, email!, now) : await findUserByEmail(store.db, email!);
      if (!user) {
        process.stderr.write(`paperboy admin: nobody has signed in as ${email} yet. Ask them to sign in once, or use "paperboy admin create ${email}" for an admin.\n`);
        return 1;
      }
      await setUserRole(store.db, CLI, user, role, reason, now);
      ctx.log.info('role_changed', { user_id: user.id, role });
      process.stdout.write(`${email} is now ${role === 'member' ? 'an ordinary member' : `a${role === 'admin' ? 'n' : ''} ${role}`}\n`);
      return 0;
    } finally {
      await store.close();
    }
  },
};
