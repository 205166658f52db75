<?php
/**
 * `workos` commands, shared by WP-CLI (`wp workos …`) and the stand-alone
 * runner (`php bin/workos.php …`) for sites without WP-CLI.
 *
 * @package WorkOS_WP
 */

namespace WorkOS_WP\Cli;

use WorkOS_WP\Admin\ConnectionCheck;
use WorkOS_WP\Api;
use WorkOS_WP\Directory\Directory;
use WorkOS_WP\Maintenance;
use WorkOS_WP\Schema;
use WorkOS_WP\Settings;
use WorkOS_WP\Users\EmailKey;
use WorkOS_WP\Users\Users;

defined( 'ABSPATH' ) || exit;

/**
 * Each command takes positional words and `--key=value` options and returns
 * a Result; a bad invocation throws CommandError with a clear message.
 */
final class Commands {

	/**
	 * Subcommands: name => method. Their usage, options and examples are in
	 * Help::COMMANDS, under the same names.
	 */
	public const COMMANDS = array(
		'status'          => 'status',
		'user get'        => 'user_get',
		'user list'       => 'user_list',
		'user link'       => 'user_link',
		'user unlink'     => 'user_unlink',
		'user deactivate' => 'user_deactivate',
		'user reactivate' => 'user_reactivate',
		'user import'     => 'user_import',
		'user sync'       => 'user_sync',
		'org list'        => 'org_list',
		'org sync'        => 'org_sync',
		'org members'     => 'org_members',
		'org get'         => 'org_get',
		'org add-member'  => 'org_add_member',
		'org remove-member' => 'org_remove_member',
		'sync import'     => 'sync_import',
		'sync orgs'       => 'sync_orgs',
		'sync push'       => 'sync_push',
		'sync pull'       => 'sync_pull',
		'maintenance'     => 'maintenance',
		'migrate'         => 'migrate',
		'invite'          => 'invite',
	);

	/**
	 * How the commands are typed where they run: `workos` (the stand-alone
	 * runner) or `wp workos` (WP-CLI), for help and hints.
	 *
	 * @var string
	 */
	public static $prefix = 'workos';

	/**
	 * Runs a command line. `help [<command>]`, `--help` and a command's
	 * `--help` return the help as text.
	 *
	 * @param string[] $words Positional words (subcommand first).
	 * @param array    $assoc Options.
	 * @throws CommandError On bad input or failure.
	 */
	public static function run( array $words, array $assoc ): Result {
		$words = array_values( array_map( 'strval', $words ) );
		$help  = ! empty( $assoc['help'] );
		if ( isset( $words[0] ) && 'help' === $words[0] ) {
			array_shift( $words );
			$help = true;
		}
		if ( ! $words ) {
			if ( $help ) {
				return Result::text( Help::overview( self::$prefix ) );
			}
			throw CommandError::with_help( sprintf( 'a command is needed (the commands are listed above; `%s help <command>` explains one).', self::$prefix ), Help::overview( self::$prefix ) );
		}
		$name = self::find( $words );
		if ( $help ) {
			return Result::text( Help::command( $name, self::$prefix ) );
		}
		$unknown = array_diff( array_map( 'strval', array_keys( $assoc ) ), Help::options( $name ), in_array( 'format', Help::options( $name ), true ) ? array( 'fields' ) : array() );
		if ( $unknown ) {
			$accepted = Help::options( $name );
			throw new CommandError(
				sprintf(
					'unknown option --%s for "%s %s"%s. See `%s help %s`.',
					reset( $unknown ),
					self::$prefix,
					$name,
					$accepted ? ' (it takes --' . implode( ', --', $accepted ) . ')' : ' (it takes no options)',
					self::$prefix,
					$name
				)
			);
		}
		$method = self::COMMANDS[ $name ];
		$result = self::$method( array_slice( $words, count( explode( ' ', $name ) ) ), $assoc );
		return isset( $assoc['fields'] ) ? self::only_fields( $result, (string) $assoc['fields'] ) : $result;
	}

	/**
	 * A result with only the columns `--fields=a,b` names, in that order (as
	 * WP-CLI's formatter does).
	 *
	 * @param Result $result The command's result.
	 * @param string $fields Comma-separated column names.
	 * @throws CommandError For a column the command does not print.
	 */
	private static function only_fields( Result $result, string $fields ): Result {
		$wanted = array_values( array_filter( array_map( 'trim', explode( ',', $fields ) ), 'strlen' ) );
		if ( ! $wanted ) {
			throw new CommandError( '--fields needs at least one column name.' );
		}
		$unknown = array_diff( $wanted, $result->fields );
		if ( $result->fields && $unknown ) {
			throw new CommandError( sprintf( 'unknown field "%s" (the fields are: %s).', reset( $unknown ), implode( ', ', $result->fields ) ) );
		}
		if ( $result->fields ) {
			$result->fields = $wanted;
		}
		return $result;
	}

	/**
	 * The command a command line names (its first one or two words).
	 *
	 * @param string[] $words Positional words.
	 * @throws CommandError For an unknown command, with the nearest ones.
	 */
	private static function find( array $words ): string {
		// The reference registers `user list` and `org list` as `list_` (REFERENCE-API §7): both answer.
		if ( isset( $words[1] ) && 'list_' === $words[1] ) {
			$words[1] = 'list';
		}
		foreach ( array( 2, 1 ) as $length ) {
			$name = implode( ' ', array_slice( $words, 0, $length ) );
			if ( count( $words ) >= $length && isset( self::COMMANDS[ $name ] ) ) {
				return $name;
			}
		}
		$group = array_values( array_filter( array_keys( self::COMMANDS ), static fn( $c ) => 0 === strpos( $c, $words[0] . ' ' ) ) );
		if ( $group ) {
			// A group (`user`) with a missing or unknown subcommand: name the group's commands.
			$typed = implode( ' ', array_slice( $words, 0, 2 ) );
			$hint  = sprintf( 'The %s commands: %s. ', $words[0], implode( ', ', $group ) );
		} else {
			$typed = $words[0];
			$near  = Help::closest( implode( ' ', array_slice( $words, 0, 2 ) ) );
			$near  = '' === $near ? Help::closest( $typed ) : $near;
			$hint  = '' === $near ? '' : sprintf( 'Did you mean "%s"? ', $near );
		}
		throw new CommandError( sprintf( 'unknown command "%s". %sRun `%s help` for the list of commands.', $typed, $hint, self::$prefix ) );
	}

	/**
	 * Plugin configuration and health: every setting (secrets masked) and
	 * its source, then the runtime facts and the connection check.
	 *
	 * @param array $args  Words.
	 * @param array $assoc Options.
	 */
	private static function status( array $args, array $assoc ): Result {
		$json = 'json' === ( $assoc['format'] ?? 'table' );
		$rows = array();
		foreach ( \WorkOS_WP\Settings\Registry::all() as $key => $setting ) {
			if ( $setting->constant_only ) {
				continue;
			}
			$rows[] = array(
				'setting' => $key,
				'value'   => self::setting_value( $key, $json ),
				'source'  => Settings::from_constant( $key ) ? 'constant' : 'database',
			);
		}
		$facts = array(
			'extension'      => \WorkOS_WP\extension_ready() ? \WorkOS\Native\version() : 'not loaded',
			'plugin_version' => \WorkOS_WP\VERSION,
			'db_version'     => (string) get_option( Schema::VERSION_OPTION, '0' ) . ' (code ' . Schema::VERSION . ')',
			'configured'     => Settings::is_configured() ? 'yes' : 'no',
		);
		foreach ( $facts as $key => $value ) {
			$rows[] = array(
				'setting' => $key,
				'value'   => $value,
				'source'  => 'runtime',
			);
		}
		if ( empty( $assoc['skip-check'] ) ) {
			// The same check as Site Health and the settings screen's Test connection button.
			$check = ConnectionCheck::run();
			foreach ( $check['checks'] as $one ) {
				$rows[] = array(
					'setting' => 'connection_' . $one['id'],
					'value'   => $one['status'] . ': ' . $one['message'],
					'source'  => 'WorkOS',
				);
			}
		}
		return new Result( $rows, array( 'setting', 'value', 'source' ) );
	}

	/**
	 * A setting's value as `status` shows it: maps and lists in the README's
	 * line format (`from = to; …`, `a, b`) for tables and CSV, as JSON values
	 * for --format=json; secrets masked either way.
	 *
	 * @param string $key  Setting key.
	 * @param bool   $json For --format=json.
	 * @return mixed
	 */
	private static function setting_value( string $key, bool $json ) {
		$type = \WorkOS_WP\Settings\Registry::SETTINGS[ $key ]['type'] ?? 'string';
		if ( 'map' === $type ) {
			$map = Settings::map( $key );
			if ( $json ) {
				return (object) $map;
			}
			$pairs = array();
			foreach ( $map as $from => $to ) {
				$pairs[] = $from . ' = ' . $to;
			}
			return implode( '; ', $pairs );
		}
		if ( 'list' === $type ) {
			return $json ? Settings::items( $key ) : implode( ', ', Settings::items( $key ) );
		}
		return Settings::display( $key );
	}

	/**
	 * One user with their WorkOS state.
	 *
	 * @param array $args  Words.
	 * @param array $assoc Options.
	 */
	private static function user_get( array $args, array $assoc ): Result {
		$key = self::arg( $args, 0, 'a user id, email or WorkOS id' );
		$by  = (string) ( $assoc['by'] ?? '' );
		if ( '' === $by ) {
			$by = ctype_digit( $key ) ? 'id' : ( is_email( $key ) ? 'email' : 'workos_id' );
		}
		switch ( $by ) {
			case 'id':
				$user = get_user_by( 'id', (int) $key );
				break;
			case 'email':
				$user = get_user_by( 'email', $key );
				break;
			case 'workos_id':
				$user = Users::find_linked( $key );
				break;
			default:
				throw new CommandError( '--by must be id, email or workos_id.' );
		}
		if ( ! $user ) {
			throw new CommandError( sprintf( 'No user found by %s "%s".', $by, $key ) );
		}
		return new Result( array( self::user_row( $user ) ), self::USER_FIELDS );
	}

	private const USER_FIELDS = array( 'ID', 'user_login', 'user_email', 'roles', 'workos_id', 'directory_user_id', 'deactivated' );

	/**
	 * Users with their link state.
	 *
	 * @param array $args  Words.
	 * @param array $assoc Options.
	 */
	private static function user_list( array $args, array $assoc ): Result {
		$query = array(
			'number'  => Options::limit( $assoc, 1000 ),
			'orderby' => 'ID',
		);
		if ( ! empty( $assoc['linked'] ) && ! empty( $assoc['unlinked'] ) ) {
			throw new CommandError( '--linked and --unlinked exclude each other.' );
		}
		if ( ! empty( $assoc['linked'] ) || ! empty( $assoc['unlinked'] ) ) {
			$query['meta_query'] = array( // phpcs:ignore WordPress.DB.SlowDBQuery
				array(
					'key'     => Users::META_ID,
					'compare' => ! empty( $assoc['linked'] ) ? 'EXISTS' : 'NOT EXISTS',
				),
			);
		}
		if ( isset( $assoc['role'] ) ) {
			if ( ! wp_roles()->is_role( (string) $assoc['role'] ) ) {
				throw new CommandError( sprintf( 'There is no role "%s".', $assoc['role'] ) );
			}
			$query['role'] = (string) $assoc['role'];
		}
		$rows = array_map( array( self::class, 'user_row' ), get_users( $query ) );
		return new Result( $rows, self::USER_FIELDS, sprintf( '%d user(s).', count( $rows ) ) );
	}

	/**
	 * Links a WordPress user to a WorkOS user, after checking with WorkOS that
	 * the WorkOS user exists and owns the same, verified email.
	 *
	 * @param array $args  Words.
	 * @param array $assoc Options.
	 */
	private static function user_link( array $args, array $assoc ): Result {
		$user      = self::wp_user( self::arg( $args, 0, 'a WordPress user id' ) );
		$workos_id = self::arg( $args, 1, 'a WorkOS user id' );
		$other     = Users::find_linked( $workos_id );
		if ( $other && $other->ID !== $user->ID ) {
			throw new CommandError( sprintf( '%s is already linked to user %d.', $workos_id, $other->ID ) );
		}
		try {
			$remote = Api::client()->getUser( $workos_id );
		} catch ( \WorkOS\Native\Exception $e ) {
			throw CommandError::from_workos( $e, sprintf( 'user "%s"', $workos_id ) );
		}
		$key = EmailKey::of( $remote['email'] ?? null );
		if ( null === $key || EmailKey::of( $user->user_email ) !== $key || true !== ( $remote['email_verified'] ?? null ) ) {
			throw new CommandError( sprintf( 'Refused: %s has email %s (%s); user %d has %s.', $workos_id, $remote['email'] ?? '?', true === ( $remote['email_verified'] ?? null ) ? 'verified' : 'not verified', $user->ID, $user->user_email ) );
		}
		if ( empty( $assoc['dry-run'] ) ) {
			Users::link( $user, $workos_id );
		}
		return self::done( $assoc, sprintf( 'User %d linked to %s.', $user->ID, $workos_id ) );
	}

	/**
	 * Removes a user's WorkOS link.
	 *
	 * @param array $args  Words.
	 * @param array $assoc Options.
	 */
	private static function user_unlink( array $args, array $assoc ): Result {
		$user = self::wp_user( self::arg( $args, 0, 'a WordPress user id' ) );
		if ( empty( $assoc['yes'] ) && empty( $assoc['dry-run'] ) ) {
			throw new CommandError( 'Unlinking needs --yes (or --dry-run to see what would happen).' );
		}
		$was = (string) get_user_meta( $user->ID, Users::META_ID, true );
		if ( '' === $was ) {
			throw new CommandError( sprintf( 'User %d is not linked.', $user->ID ) );
		}
		if ( empty( $assoc['dry-run'] ) ) {
			delete_user_meta( $user->ID, Users::META_ID );
		}
		return self::done( $assoc, sprintf( 'User %d unlinked from %s.', $user->ID, $was ) );
	}

	/**
	 * Deactivates a user: every session ends, no sign-in by any path.
	 *
	 * @param array $args  Words.
	 * @param array $assoc Options.
	 */
	private static function user_deactivate( array $args, array $assoc ): Result {
		$user = self::wp_user( self::arg( $args, 0, 'a WordPress user id' ) );
		if ( empty( $assoc['dry-run'] ) ) {
			update_user_meta( $user->ID, Users::META_DEACTIVATED, 'cli' );
		}
		return self::done( $assoc, sprintf( 'User %d deactivated.', $user->ID ) );
	}

	/**
	 * Lifts a deactivation, whoever made it.
	 *
	 * @param array $args  Words.
	 * @param array $assoc Options.
	 */
	private static function user_reactivate( array $args, array $assoc ): Result {
		$user = self::wp_user( self::arg( $args, 0, 'a WordPress user id' ) );
		if ( ! Users::is_deactivated( $user->ID ) ) {
			throw new CommandError( sprintf( 'User %d is not deactivated.', $user->ID ) );
		}
		if ( empty( $assoc['dry-run'] ) ) {
			delete_user_meta( $user->ID, Users::META_DEACTIVATED );
		}
		return self::done( $assoc, sprintf( 'User %d reactivated.', $user->ID ) );
	}

	/**
	 * Organizations, from the local copy or from WorkOS.
	 *
	 * @param array $args  Words.
	 * @param array $assoc Options.
	 */
	private static function org_list( array $args, array $assoc ): Result {
		$limit  = Options::limit( $assoc, 100 );
		$source = (string) ( $assoc['source'] ?? 'local' );
		$fields = array( 'workos_id', 'name', 'domains' );
		if ( 'remote' === $source ) {
			try {
				$page = Api::client()->listOrganizations( array( 'limit' => min( 100, $limit ) ) );
			} catch ( \WorkOS\Native\Exception $e ) {
				throw CommandError::from_workos( $e );
			}
			$rows = array();
			foreach ( is_array( $page['data'] ?? null ) ? $page['data'] : array() as $org ) {
				$rows[] = array(
					'workos_id' => (string) ( $org['id'] ?? '' ),
					'name'      => (string) ( $org['name'] ?? '' ),
					'domains'   => implode( ',', array_map( static fn( $d ) => (string) ( $d['domain'] ?? '' ), (array) ( $org['domains'] ?? array() ) ) ),
				);
			}
			return new Result( $rows, $fields );
		}
		if ( 'local' !== $source ) {
			throw new CommandError( '--source must be local or remote.' );
		}
		global $wpdb;
		Schema::ensure();
		$rows = (array) $wpdb->get_results( $wpdb->prepare( 'SELECT id, workos_id, name, domains FROM ' . Schema::table( 'organizations' ) . ' ORDER BY name LIMIT %d', $limit ), ARRAY_A ); // phpcs:ignore WordPress.DB
		foreach ( $rows as &$row ) {
			$row['domains'] = implode( ',', array_column( (array) json_decode( (string) $row['domains'], true ), 'domain' ) );
		}
		// The local id names an organization in `org get`, `org members` and `org add-member`.
		return new Result( $rows, array_merge( $fields, array( 'id' ) ) );
	}

	/**
	 * A WordPress user for a WorkOS user: linked or created by the sign-in
	 * rules (verified email only).
	 *
	 * @param array $args  Words.
	 * @param array $assoc Options.
	 */
	private static function user_import( array $args, array $assoc ): Result {
		$workos_id = self::arg( $args, 0, 'a WorkOS user id' );
		try {
			$remote = Api::client()->getUser( $workos_id );
		} catch ( \WorkOS\Native\Exception $e ) {
			throw CommandError::from_workos( $e, sprintf( 'user "%s"', $workos_id ) );
		}
		if ( ! empty( $assoc['dry-run'] ) ) {
			$existing = Users::find_linked( $workos_id );
			return self::done( $assoc, $existing ? sprintf( '%s is already user %d.', $workos_id, $existing->ID ) : sprintf( '%s (%s) would be imported.', $workos_id, $remote['email'] ?? '' ) );
		}
		$user = Users::resolve( $remote, \WorkOS_WP\Settings::get( 'default_role' ), 'cli' );
		if ( is_wp_error( $user ) ) {
			throw new CommandError( $user->get_error_message() );
		}
		if ( ! empty( $assoc['porcelain'] ) ) {
			// Only the WordPress user id, for scripts.
			return Result::text( $user->ID . "\n" );
		}
		return new Result( array( self::user_row( $user ) ), self::USER_FIELDS, sprintf( '%s is WordPress user %d.', $workos_id, $user->ID ) );
	}

	/**
	 * One user: pull (WorkOS → WordPress: email, names) or push (WordPress →
	 * WorkOS: names).
	 *
	 * @param array $args  Words.
	 * @param array $assoc Options.
	 */
	private static function user_sync( array $args, array $assoc ): Result {
		$user      = self::wp_user( self::arg( $args, 0, 'a WordPress user id' ) );
		$workos_id = (string) get_user_meta( $user->ID, Users::META_ID, true );
		// Push by default, as the reference's documentation has it (names go to WorkOS).
		$direction = (string) ( $assoc['direction'] ?? 'push' );
		if ( ! in_array( $direction, array( 'pull', 'push' ), true ) ) {
			throw new CommandError( '--direction must be pull or push.' );
		}
		if ( '' === $workos_id ) {
			throw new CommandError( sprintf( 'User %d is not linked to WorkOS (see: workos user link).', $user->ID ) );
		}
		if ( ! empty( $assoc['dry-run'] ) ) {
			return self::done( $assoc, sprintf( 'User %d would be %s.', $user->ID, 'pull' === $direction ? 'refreshed from ' . $workos_id : 'written to ' . $workos_id ) );
		}
		try {
			if ( 'push' === $direction ) {
				Api::client()->updateUser(
					$workos_id,
					array(
						'first_name' => $user->first_name,
						'last_name'  => $user->last_name,
					)
				);
				return self::done( $assoc, sprintf( 'User %d written to %s.', $user->ID, $workos_id ) );
			}
			$result = Users::sync( Api::client()->getUser( $workos_id ) );
		} catch ( \WorkOS\Native\Exception $e ) {
			throw CommandError::from_workos( $e, sprintf( 'user "%s" (the link of user %d)', $workos_id, $user->ID ) );
		}
		if ( is_wp_error( $result ) ) {
			throw new CommandError( $result->get_error_message() );
		}
		return new Result( array( self::user_row( $result ) ), self::USER_FIELDS, sprintf( 'User %d refreshed from %s.', $user->ID, $workos_id ) );
	}

	/**
	 * Fetches one organization into the local table.
	 *
	 * @param array $args  Words.
	 * @param array $assoc Options.
	 */
	private static function org_sync( array $args, array $assoc ): Result {
		$org_id = self::arg( $args, 0, 'a WorkOS organization id' );
		try {
			$org = Api::client()->getOrganization( $org_id );
		} catch ( \WorkOS\Native\Exception $e ) {
			throw CommandError::from_workos( $e, sprintf( 'organization "%s"', $org_id ) );
		}
		Schema::ensure();
		\WorkOS_WP\Organizations::upserted( is_array( $org ) ? $org : array() );
		return self::done( $assoc, sprintf( 'Organization %s (%s) synced.', $org_id, $org['name'] ?? '' ) );
	}

	/**
	 * The local memberships of an organization.
	 *
	 * @param array $args  Words.
	 * @param array $assoc Options.
	 */
	private static function org_members( array $args, array $assoc ): Result {
		global $wpdb;
		$org_id = self::arg( $args, 0, 'a WorkOS organization id' );
		Schema::ensure();
		$by = (string) ( $assoc['by'] ?? ( ctype_digit( $org_id ) ? 'id' : 'workos_id' ) );
		if ( ! in_array( $by, array( 'id', 'workos_id' ), true ) ) {
			throw new CommandError( '--by must be id or workos_id.' );
		}
		if ( 'id' === $by ) {
			// The local id `org list` shows (the reference's scripts name organizations by it).
			$org_id = Orgs::local( $org_id, false )['workos_id'];
		}
		$rows = (array) $wpdb->get_results( $wpdb->prepare( 'SELECT user_id, workos_user_id, role_slug, wp_role, status FROM ' . Schema::table( 'org_memberships' ) . ' WHERE organization_id = %s ORDER BY user_id LIMIT %d', $org_id, Options::limit( $assoc, 1000 ) ), ARRAY_A ); // phpcs:ignore WordPress.DB
		return new Result( $rows, array( 'user_id', 'workos_user_id', 'role_slug', 'wp_role', 'status' ), sprintf( '%d member(s).', count( $rows ) ) );
	}

	/**
	 * One organization (see Orgs).
	 *
	 * @param array $args  Words.
	 * @param array $assoc Options.
	 */
	private static function org_get( array $args, array $assoc ): Result {
		return Orgs::get( $args, $assoc );
	}

	/**
	 * Adds a member (see Orgs).
	 *
	 * @param array $args  Words.
	 * @param array $assoc Options.
	 */
	private static function org_add_member( array $args, array $assoc ): Result {
		return Orgs::add_member( $args, $assoc );
	}

	/**
	 * Removes a member (see Orgs).
	 *
	 * @param array $args  Words.
	 * @param array $assoc Options.
	 */
	private static function org_remove_member( array $args, array $assoc ): Result {
		return Orgs::remove_member( $args, $assoc );
	}

	/**
	 * Imports WorkOS users (see Import).
	 *
	 * @param array $args  Words.
	 * @param array $assoc Options.
	 */
	private static function sync_import( array $args, array $assoc ): Result {
		return Import::users( $args, $assoc );
	}

	/**
	 * Imports WorkOS organizations (see Import).
	 *
	 * @param array $args  Words.
	 * @param array $assoc Options.
	 */
	private static function sync_orgs( array $args, array $assoc ): Result {
		return Import::orgs( $args, $assoc );
	}

	/**
	 * Bulk push (see Sync).
	 *
	 * @param array $args  Words.
	 * @param array $assoc Options.
	 */
	private static function sync_push( array $args, array $assoc ): Result {
		return Sync::push( $args, $assoc );
	}

	/**
	 * Bulk pull (see Sync).
	 *
	 * @param array $args  Words.
	 * @param array $assoc Options.
	 */
	private static function sync_pull( array $args, array $assoc ): Result {
		return Sync::pull( $args, $assoc );
	}

	/**
	 * Runs the background chores now.
	 *
	 * @param array $args  Words.
	 * @param array $assoc Options.
	 */
	private static function maintenance( array $args, array $assoc ): Result {
		$done = Maintenance::run();
		$rows = array();
		foreach ( $done as $what => $count ) {
			$rows[] = array(
				'task'  => $what,
				'count' => (int) $count,
			);
		}
		return new Result( $rows, array( 'task', 'count' ), 'Maintenance done.' );
	}

	/**
	 * Moves the reference plugin's data here (see Migrate).
	 *
	 * @param array $args  Words.
	 * @param array $assoc Options.
	 */
	private static function migrate( array $args, array $assoc ): Result {
		return Migrate::run( $args, $assoc, self::$prefix );
	}

	/**
	 * Invites someone by email (see Invite).
	 *
	 * @param array $args  Words.
	 * @param array $assoc Options.
	 */
	private static function invite( array $args, array $assoc ): Result {
		return Invite::run( $args, $assoc );
	}

	/**
	 * A user as a row.
	 *
	 * @param \WP_User $user User.
	 */
	private static function user_row( \WP_User $user ): array {
		return array(
			'ID'                => $user->ID,
			'user_login'        => $user->user_login,
			'user_email'        => $user->user_email,
			'roles'             => implode( ',', $user->roles ),
			'workos_id'         => (string) get_user_meta( $user->ID, Users::META_ID, true ),
			'directory_user_id' => (string) get_user_meta( $user->ID, Directory::META_ID, true ),
			'deactivated'       => Users::is_deactivated( $user->ID ) ? 'yes' : 'no',
		);
	}

	/**
	 * A positional argument, or a clear error.
	 *
	 * @param array  $args  Words.
	 * @param int    $index Position.
	 * @param string $what  What is expected there.
	 */
	private static function arg( array $args, int $index, string $what ): string {
		$value = isset( $args[ $index ] ) ? trim( (string) $args[ $index ] ) : '';
		if ( '' === $value ) {
			throw new CommandError( sprintf( 'Missing argument: %s.', $what ) );
		}
		return $value;
	}

	/**
	 * A WordPress user by id, or a clear error.
	 *
	 * @param string $id User id.
	 */
	private static function wp_user( string $id ): \WP_User {
		$user = ctype_digit( $id ) ? get_user_by( 'id', (int) $id ) : false;
		if ( ! $user ) {
			throw new CommandError( sprintf( 'No WordPress user with id "%s".', $id ) );
		}
		return $user;
	}

	/**
	 * The result of a change, marked when nothing was changed (--dry-run).
	 *
	 * @param array  $assoc   Options.
	 * @param string $message What happened.
	 */
	private static function done( array $assoc, string $message ): Result {
		return new Result( array(), array(), empty( $assoc['dry-run'] ) ? $message : 'Dry run: ' . $message . ' (nothing changed)' );
	}
}
