<?php
/**
 * The help of the `workos` commands: one overview and one page per command,
 * printed by `workos help [<command>]`, `workos <command> --help` and WP-CLI's
 * `wp help workos`.
 *
 * @package WorkOS_WP
 */

namespace WorkOS_WP\Cli;

defined( 'ABSPATH' ) || exit;

/**
 * Every command's usage, options and examples, written once. Commands
 * dispatches by the same names and accepts only the options listed here.
 *
 * Like WP-CLI's own commands, the text is English and not translated.
 */
final class Help {

	/**
	 * Per command: `summary` (one line), `usage` (after the command name),
	 * `arguments` and `options` (name => meaning), `examples` (after `workos `).
	 */
	public const COMMANDS = array(
		'status'          => array(
			'summary'   => 'Settings (secrets masked) and their source, extension, schema, connection to WorkOS.',
			'usage'     => '[--skip-check] [--format=table|json|csv]',
			'arguments' => array(),
			'options'   => array(
				'--skip-check'      => 'do not call WorkOS (no connection rows)',
				'--format=<format>' => 'table (default), json (settings as JSON values: maps are objects, lists arrays) or csv',
			),
			'examples'  => array( 'status', 'status --skip-check --format=json' ),
		),
		'user get'        => array(
			'summary'   => "A user's WorkOS link, directory link and deactivation.",
			'usage'     => '<id|email|workos_id> [--by=id|email|workos_id] [--format=table|json|csv]',
			'arguments' => array( '<id|email|workos_id>' => 'the WordPress user id, their email, or their WorkOS user id (user_…)' ),
			'options'   => array(
				'--by=<field>'      => 'how to read the argument (default: guessed from its form)',
				'--format=<format>' => 'table (default), json or csv',
			),
			'examples'  => array( 'user get 42', 'user get jane@example.com --format=json', 'user get user_01H5K3ZPXQ4F8N2V7RBJ6T9WMA' ),
		),
		'user list'       => array(
			'summary'   => 'Users with their WorkOS link state.',
			'usage'     => '[--linked|--unlinked] [--role=<role>] [--limit=<n>] [--format=table|json|csv|ids]',
			'arguments' => array(),
			'options'   => array(
				'--linked'          => 'only users linked to a WorkOS user',
				'--unlinked'        => 'only users not linked to one',
				'--role=<role>'     => 'only users with this WordPress role (e.g. editor)',
				'--limit=<n>'       => 'at most this many users (default 1000)',
				'--format=<format>' => 'table (default), json, csv or ids (space-separated user ids)',
			),
			'examples'  => array( 'user list --unlinked', 'user list --role=editor --format=csv' ),
		),
		'user link'       => array(
			'summary'   => 'Links a WordPress user to the WorkOS user with the same, verified email.',
			'usage'     => '<wp_user_id> <workos_user_id> [--dry-run]',
			'arguments' => array(
				'<wp_user_id>'     => 'the WordPress user id',
				'<workos_user_id>' => 'the WorkOS user id (user_…)',
			),
			'options'   => array( '--dry-run' => 'check and say what would happen, change nothing' ),
			'examples'  => array( 'user link 42 user_01H5K3ZPXQ4F8N2V7RBJ6T9WMA --dry-run', 'user link 42 user_01H5K3ZPXQ4F8N2V7RBJ6T9WMA' ),
		),
		'user unlink'     => array(
			'summary'   => "Removes a user's WorkOS link.",
			'usage'     => '<wp_user_id> --yes [--dry-run]',
			'arguments' => array( '<wp_user_id>' => 'the WordPress user id' ),
			'options'   => array(
				'--yes'     => 'confirms the change (required)',
				'--dry-run' => 'say what would happen, change nothing',
			),
			'examples'  => array( 'user unlink 42 --dry-run', 'user unlink 42 --yes' ),
		),
		'user deactivate' => array(
			'summary'   => 'Deactivates a user: every session ends and no sign-in path lets them in.',
			'usage'     => '<wp_user_id> [--dry-run]',
			'arguments' => array( '<wp_user_id>' => 'the WordPress user id' ),
			'options'   => array( '--dry-run' => 'say what would happen, change nothing' ),
			'examples'  => array( 'user deactivate 42' ),
		),
		'user reactivate' => array(
			'summary'   => 'Lifts a deactivation, whoever made it (this command, a directory, a webhook).',
			'usage'     => '<wp_user_id> [--dry-run]',
			'arguments' => array( '<wp_user_id>' => 'the WordPress user id' ),
			'options'   => array( '--dry-run' => 'say what would happen, change nothing' ),
			'examples'  => array( 'user reactivate 42' ),
		),
		'user import'     => array(
			'summary'   => 'A WordPress user for a WorkOS user with a verified email (linked or created).',
			'usage'     => '<workos_user_id> [--dry-run] [--porcelain] [--yes] [--format=table|json|csv|yaml]',
			'arguments' => array( '<workos_user_id>' => 'the WorkOS user id (user_…)' ),
			'options'   => array(
				'--dry-run'         => 'say what would happen, change nothing',
				'--porcelain'       => 'print only the WordPress user id',
				'--yes'             => 'do not ask for confirmation (accepted for scripts written for the reference plugin)',
				'--format=<format>' => 'table (default), json, csv or yaml',
			),
			'examples'  => array( 'user import user_01H5K3ZPXQ4F8N2V7RBJ6T9WMA', 'user import user_01H5K3ZPXQ4F8N2V7RBJ6T9WMA --porcelain' ),
		),
		'user sync'       => array(
			'summary'   => 'One linked user: pull (email and names from WorkOS) or push (names to WorkOS).',
			'usage'     => '<wp_user_id> [--direction=pull|push] [--dry-run] [--format=table|json|csv]',
			'arguments' => array( '<wp_user_id>' => 'the WordPress user id' ),
			'options'   => array(
				'--direction=<dir>' => 'push (default, as the reference plugin) or pull',
				'--dry-run'         => 'say what would happen, change nothing',
				'--format=<format>' => 'table (default), json or csv',
			),
			'examples'  => array( 'user sync 42', 'user sync 42 --direction=pull' ),
		),
		'org list'        => array(
			'summary'   => 'Organizations: the local copy (default) or WorkOS\'s list.',
			'usage'     => '[--source=local|remote] [--limit=<n>] [--format=table|json|csv|ids]',
			'arguments' => array(),
			'options'   => array(
				'--source=<source>' => 'local (default: this site\'s copy) or remote (ask WorkOS)',
				'--limit=<n>'       => 'at most this many (default 100)',
				'--format=<format>' => 'table (default), json, csv or ids',
			),
			'examples'  => array( 'org list', 'org list --source=remote --format=json' ),
		),
		'org sync'        => array(
			'summary'   => 'Fetches one organization from WorkOS into the local copy.',
			'usage'     => '<workos_org_id>',
			'arguments' => array( '<workos_org_id>' => 'the WorkOS organization id (org_…)' ),
			'options'   => array(),
			'examples'  => array( 'org sync org_01H5K3ZPXQ4F8N2V7RBJ6T9WMA' ),
		),
		'org members'     => array(
			'summary'   => "An organization's members known here, with their WorkOS and WordPress roles.",
			'usage'     => '<id> [--by=id|workos_id] [--limit=<n>] [--format=table|json|csv|ids|yaml]',
			'arguments' => array( '<id>' => 'the organization: its local id (org list\'s `id`) or its WorkOS id (org_…)' ),
			'options'   => array(
				'--by=<field>'      => 'id (the local id) or workos_id (default: guessed from its form)',
				'--limit=<n>'       => 'at most this many (default 1000)',
				'--format=<format>' => 'table (default), json, csv or ids',
			),
			'examples'  => array( 'org members org_01H5K3ZPXQ4F8N2V7RBJ6T9WMA --format=csv' ),
		),
		'org get'         => Orgs::HELP_GET,
		'org add-member'  => Orgs::HELP_ADD,
		'org remove-member' => Orgs::HELP_REMOVE,
		'sync import'     => Import::HELP_USERS,
		'sync orgs'       => Import::HELP_ORGS,
		'sync push'       => array(
			'summary'   => 'Links every unlinked user to WorkOS (same verified email, else a new user).',
			'usage'     => '[--role=<role>] [--limit=<n>] [--concurrency=<1-32>] [--dry-run] [--yes] [--format=table|json|csv|yaml]',
			'arguments' => array(),
			'options'   => array(
				'--role=<role>'     => 'only users with this WordPress role',
				'--limit=<n>'       => 'at most this many users (default 1000)',
				'--concurrency=<n>' => 'WorkOS calls in flight, 1 to 32 (default 8), paced to WorkOS\'s rate limits',
				'--yes'             => 'do not ask for confirmation (WP-CLI asks without it)',
				'--dry-run'         => 'count the users that would be pushed, change nothing',
				'--format=<format>' => 'the users skipped or failed, as table (default), json or csv',
			),
			'examples'  => array( 'sync push --dry-run', 'sync push --concurrency=16' ),
		),
		'sync pull'       => array(
			'summary'   => 'Refreshes every linked user from WorkOS (email, names, deactivation).',
			'usage'     => '[--limit=<n>] [--concurrency=<1-32>] [--dry-run] [--yes] [--format=table|json|csv|yaml]',
			'arguments' => array(),
			'options'   => array(
				'--limit=<n>'       => 'at most this many users (default 1000)',
				'--concurrency=<n>' => 'WorkOS calls in flight, 1 to 32 (default 8)',
				'--yes'             => 'do not ask for confirmation (WP-CLI asks without it)',
				'--dry-run'         => 'count the users that would be pulled, change nothing',
				'--format=<format>' => 'the users skipped or failed, as table (default), json or csv',
			),
			'examples'  => array( 'sync pull', 'sync pull --limit=100 --dry-run' ),
		),
		'maintenance'     => array(
			'summary'   => 'Retries pending webhook events and audit-log sends now; prunes old records.',
			'usage'     => '[--format=table|json|csv]',
			'arguments' => array(),
			'options'   => array( '--format=<format>' => 'table (default), json or csv' ),
			'examples'  => array( 'maintenance' ),
		),
		'migrate'         => Migrate::HELP,
		'invite'          => Invite::HELP,
	);

	/** What each exit status means, for the overview. */
	private const EXIT_STATUS = 'Exit status: 0 done; 1 the command failed or its input was wrong (the reason is on standard error, after "Error:"); 2 WordPress could not be found or loaded.';

	/**
	 * The overview: every command, how to get a command's help, exit codes.
	 *
	 * @param string $prefix How the commands are typed: `workos` (stand-alone) or `wp workos`.
	 */
	public static function overview( string $prefix = 'workos' ): string {
		$width = 0;
		foreach ( array_keys( self::COMMANDS ) as $name ) {
			$width = max( $width, strlen( $prefix . ' ' . $name ) );
		}
		$out  = "WorkOS for WordPress: users, organizations and settings from the command line.\n\n";
		$out .= "Usage: $prefix <command> [<arguments>] [--<option>[=<value>]]\n\n";
		$out .= "Commands:\n";
		foreach ( self::COMMANDS as $name => $doc ) {
			$out .= '  ' . str_pad( $prefix . ' ' . $name, $width ) . '  ' . $doc['summary'] . "\n";
		}
		if ( 'workos' === $prefix ) {
			// The stand-alone runner's own options, as WP-CLI's global --path and --url.
			$out .= "\nWhere WordPress is (php …/bin/workos.php only; WP-CLI has its own --path and --url):\n";
			$out .= "  --path=<dir>  the WordPress directory (the one with wp-load.php); by default the one this plugin is in,\n";
			$out .= "                else Debian's /usr/share/wordpress\n";
			$out .= "  --url=<url>   the site, as with WP-CLI: needed on a multisite network, and on a Debian WordPress with\n";
			$out .= "                several sites when the plugin is not run from the site's own wp-content\n";
		}
		$out .= "\nRun `$prefix help <command>` (or `$prefix <command> --help`) for a command's options and examples.\n";
		$out .= "\n" . self::EXIT_STATUS . "\n";
		return $out;
	}

	/**
	 * One command's page.
	 *
	 * @param string $name   A key of COMMANDS.
	 * @param string $prefix How the commands are typed.
	 */
	public static function command( string $name, string $prefix = 'workos' ): string {
		$doc = self::COMMANDS[ $name ];
		$out = trim( "Usage: $prefix $name " . $doc['usage'] ) . "\n\n" . $doc['summary'] . "\n";
		foreach ( array(
			'Arguments' => $doc['arguments'],
			'Options'   => $doc['options'],
		) as $title => $items ) {
			if ( ! $items ) {
				continue;
			}
			$width = max( array_map( 'strlen', array_keys( $items ) ) );
			$out  .= "\n$title:\n";
			foreach ( $items as $item => $meaning ) {
				$out .= '  ' . str_pad( $item, $width ) . '  ' . $meaning . "\n";
			}
		}
		$out .= "\nExamples:\n";
		foreach ( $doc['examples'] as $example ) {
			$out .= "  $prefix $example\n";
		}
		return $out;
	}

	/**
	 * The options a command accepts (names without `--`), from its page.
	 *
	 * @param string $name A key of COMMANDS.
	 * @return string[]
	 */
	public static function options( string $name ): array {
		$names = array();
		foreach ( array_keys( self::COMMANDS[ $name ]['options'] ) as $option ) {
			$names[] = (string) preg_replace( '/^--([a-z_-]+).*$/', '$1', $option );
		}
		return $names;
	}

	/**
	 * The command closest to a mistyped one, if any is close.
	 *
	 * @param string $typed What was typed.
	 */
	public static function closest( string $typed ): string {
		$best     = '';
		$distance = 3;
		foreach ( array_keys( self::COMMANDS ) as $name ) {
			$d = levenshtein( $typed, $name );
			if ( $d < $distance ) {
				$best     = $name;
				$distance = $d;
			}
		}
		return $best;
	}
}
