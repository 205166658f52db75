<?php
/**
 * `workos` commands, shared by WP-CLI (`wp workos …`) and the stand-alone
 * runner (`php bin/workos.php …`) for sites without WP-CLI.
 *
 * @package WorkOS_WP
 */

namespace WorkOS_WP\Cli;

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
	 * Subcommands: name => [method, synopsis].
	 */
	public const COMMANDS = array(
		'status'           => array( 'status', 'status [--format=table|json]' ),
		'user get'         => array( 'user_get', 'user get <id|email|workos_id> [--by=id|email|workos_id] [--format=table|json]' ),
		'user list'        => array( 'user_list', 'user list [--linked|--unlinked] [--role=<role>] [--limit=<n>] [--format=table|json|ids]' ),
		'user link'        => array( 'user_link', 'user link <wp_user_id> <workos_user_id> [--dry-run]' ),
		'user unlink'      => array( 'user_unlink', 'user unlink <wp_user_id> --yes [--dry-run]' ),
		'user deactivate'  => array( 'user_deactivate', 'user deactivate <wp_user_id> [--dry-run]' ),
		'user reactivate'  => array( 'user_reactivate', 'user reactivate <wp_user_id> [--dry-run]' ),
		'sync push'        => array( 'sync_push', 'sync push [--limit=<n>] [--concurrency=<1-32>] [--dry-run]   (link unlinked users, creating WorkOS users as needed)' ),
		'sync pull'        => array( 'sync_pull', 'sync pull [--limit=<n>] [--concurrency=<1-32>] [--dry-run]   (refresh linked users from WorkOS)' ),
		'user import'      => array( 'user_import', 'user import <workos_user_id> [--dry-run]   (a WordPress user for a WorkOS user with a verified email)' ),
		'user sync'        => array( 'user_sync', 'user sync <wp_user_id> [--direction=pull|push] [--dry-run]' ),
		'org sync'         => array( 'org_sync', 'org sync <workos_org_id>   (fetch it into the local table)' ),
		'org members'      => array( 'org_members', 'org members <workos_org_id> [--format=table|json|csv|ids]' ),
		'org list'         => array( 'org_list', 'org list [--source=local|remote] [--limit=<n>] [--format=table|json|ids]' ),
		'maintenance'      => array( 'maintenance', 'maintenance [--format=table|json]   (retry pending webhook events and audit-log sends, prune)' ),
	);

	/**
	 * Runs a command line.
	 *
	 * @param string[] $words Positional words (subcommand first).
	 * @param array    $assoc Options.
	 * @throws CommandError On bad input or failure.
	 */
	public static function run( array $words, array $assoc ): Result {
		foreach ( array( 2, 1 ) as $length ) {
			$name = implode( ' ', array_slice( $words, 0, $length ) );
			if ( isset( self::COMMANDS[ $name ] ) && count( $words ) >= $length ) {
				$method = self::COMMANDS[ $name ][0];
				return self::$method( array_slice( $words, $length ), $assoc );
			}
		}
		throw new CommandError( self::usage( '' === implode( ' ', $words ) ? 'a command is needed' : 'unknown command "' . implode( ' ', $words ) . '"' ) );
	}

	/**
	 * The usage text, after a reason.
	 *
	 * @param string $reason Why it is shown.
	 */
	public static function usage( string $reason ): string {
		$lines = array( $reason . '. Commands:' );
		foreach ( self::COMMANDS as $command ) {
			$lines[] = '  workos ' . $command[1];
		}
		return implode( "\n", $lines );
	}

	/**
	 * Plugin configuration and health.
	 *
	 * @param array $args  Words.
	 * @param array $assoc Options.
	 */
	private static function status( array $args, array $assoc ): Result {
		$rows = array();
		foreach ( \WorkOS_WP\Settings\Registry::all() as $key => $setting ) {
			if ( $setting->constant_only ) {
				continue;
			}
			$rows[] = array(
				'setting' => $key,
				'value'   => Settings::display( $key ),
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
		return new Result( $rows, array( 'setting', 'value', 'source' ) );
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
			throw new CommandError( 'WorkOS: ' . $e->getMessage() );
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
				throw new CommandError( 'WorkOS: ' . $e->getMessage() );
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
		$rows = (array) $wpdb->get_results( $wpdb->prepare( 'SELECT workos_id, name, domains FROM ' . Schema::table( 'organizations' ) . ' ORDER BY name LIMIT %d', $limit ), ARRAY_A ); // phpcs:ignore WordPress.DB
		foreach ( $rows as &$row ) {
			$row['domains'] = implode( ',', array_column( (array) json_decode( (string) $row['domains'], true ), 'domain' ) );
		}
		return new Result( $rows, $fields );
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
			throw new CommandError( 'WorkOS: ' . $e->getMessage() );
		}
		if ( ! empty( $assoc['dry-run'] ) ) {
			$existing = Users::find_linked( $workos_id );
			return self::done( $assoc, $existing ? sprintf( '%s is already user %d.', $workos_id, $existing->ID ) : sprintf( '%s (%s) would be imported.', $workos_id, $remote['email'] ?? '' ) );
		}
		$user = Users::resolve( $remote, \WorkOS_WP\Settings::get( 'default_role' ), 'cli' );
		if ( is_wp_error( $user ) ) {
			throw new CommandError( $user->get_error_message() );
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
		$direction = (string) ( $assoc['direction'] ?? 'pull' );
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
			throw new CommandError( 'WorkOS: ' . $e->getMessage() );
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
			throw new CommandError( 'WorkOS: ' . $e->getMessage() );
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
		$rows = (array) $wpdb->get_results( $wpdb->prepare( 'SELECT user_id, workos_user_id, role_slug, wp_role, status FROM ' . Schema::table( 'org_memberships' ) . ' WHERE organization_id = %s ORDER BY user_id LIMIT %d', $org_id, Options::limit( $assoc, 1000 ) ), ARRAY_A ); // phpcs:ignore WordPress.DB
		return new Result( $rows, array( 'user_id', 'workos_user_id', 'role_slug', 'wp_role', 'status' ), sprintf( '%d member(s).', count( $rows ) ) );
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
