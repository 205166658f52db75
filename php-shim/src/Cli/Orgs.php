<?php
/**
 * `workos org get`, `org add-member`, `org remove-member`: one organization
 * and its members, under the names and arguments the "Integration with
 * WorkOS" plugin's scripts use (REFERENCE-API §7).
 *
 * @package WorkOS_WP
 */

namespace WorkOS_WP\Cli;

use WorkOS_WP\Api;
use WorkOS_WP\Schema;
use WorkOS_WP\Users\Memberships;
use WorkOS_WP\Users\Users;

defined( 'ABSPATH' ) || exit;

/**
 * An organization is named by its local id (the number `org list` shows
 * in `id`) or its WorkOS id (`org_…`); members are WordPress users linked
 * to WorkOS. Membership changes are made at WorkOS first, then recorded
 * here as the webhook would record them, so both agree at once.
 */
final class Orgs {

	/** `org get` help. */
	public const HELP_GET = array(
		'summary'   => 'One organization: from the local copy (by local id or WorkOS id) or from WorkOS.',
		'usage'     => '<id> [--by=id|workos_id|remote] [--format=table|json|csv|yaml]',
		'arguments' => array( '<id>' => 'the local id (org list\'s `id`) or, with --by=workos_id|remote, the WorkOS id (org_…)' ),
		'options'   => array(
			'--by=<field>'      => 'id (default: the local id; an org_… value is taken as a WorkOS id), workos_id, or remote (ask WorkOS)',
			'--format=<format>' => 'table (default), json, csv or yaml',
		),
		'examples'  => array( 'org get 3', 'org get org_01H5K3ZPXQ4F8N2V7RBJ6T9WMA --by=remote --format=json' ),
	);

	/** `org add-member` help. */
	public const HELP_ADD = array(
		'summary'   => 'Makes a linked WordPress user a member of an organization at WorkOS (and records it here).',
		'usage'     => '<org_id> <user_id> [--role=<slug>]',
		'arguments' => array(
			'<org_id>'  => 'the organization: local id or WorkOS id (org_…)',
			'<user_id>' => 'the WordPress user id (the user must be linked to WorkOS)',
		),
		'options'   => array( '--role=<slug>' => 'their WorkOS role in the organization (default: member)' ),
		'examples'  => array( 'org add-member 3 42', 'org add-member org_01H5K3ZPXQ4F8N2V7RBJ6T9WMA 42 --role=admin' ),
	);

	/** `org remove-member` help. */
	public const HELP_REMOVE = array(
		'summary'   => "Ends a user's membership of an organization at WorkOS (and here).",
		'usage'     => '<org_id> <user_id> --yes',
		'arguments' => array(
			'<org_id>'  => 'the organization: local id or WorkOS id (org_…)',
			'<user_id>' => 'the WordPress user id',
		),
		'options'   => array( '--yes' => 'confirms the change (required)' ),
		'examples'  => array( 'org remove-member 3 42 --yes' ),
	);

	/** `org get` columns. */
	public const FIELDS = array( 'id', 'workos_org_id', 'name', 'slug', 'domains', 'updated_at' );

	/**
	 * `org get`.
	 *
	 * @param array $args  Words.
	 * @param array $assoc Options.
	 * @throws CommandError When it is not found.
	 */
	public static function get( array $args, array $assoc ): Result {
		$key = self::word( $args, 0, 'an organization id' );
		$by  = (string) ( $assoc['by'] ?? 'id' );
		if ( ! in_array( $by, array( 'id', 'workos_id', 'remote' ), true ) ) {
			throw new CommandError( '--by must be id, workos_id or remote.' );
		}
		if ( 'remote' === $by ) {
			try {
				$org = Api::client()->getOrganization( $key );
			} catch ( \WorkOS\Native\Exception $e ) {
				throw CommandError::from_workos( $e, sprintf( 'organization "%s"', $key ) );
			}
			return new Result(
				array(
					array(
						'workos_org_id' => (string) ( $org['id'] ?? '' ),
						'name'          => (string) ( $org['name'] ?? '' ),
						'domains'       => implode( ',', array_map( static fn( $d ) => (string) ( $d['domain'] ?? '' ), (array) ( $org['domains'] ?? array() ) ) ),
					),
				),
				array( 'workos_org_id', 'name', 'domains' )
			);
		}
		return new Result( array( self::row( self::local( $key, 'workos_id' === $by ) ) ), self::FIELDS );
	}

	/**
	 * `org add-member`.
	 *
	 * @param array $args  Words.
	 * @param array $assoc Options.
	 * @throws CommandError On bad input or a refusal of WorkOS.
	 */
	public static function add_member( array $args, array $assoc ): Result {
		$org  = self::local( self::word( $args, 0, 'an organization id' ), false );
		$user = self::user( self::word( $args, 1, 'a WordPress user id' ) );
		$role = (string) ( $assoc['role'] ?? 'member' );
		if ( 1 !== preg_match( '/^[A-Za-z0-9_-]{1,100}$/D', $role ) ) {
			throw new CommandError( '--role must be a WorkOS role slug (letters, digits, - and _).' );
		}
		$workos_id = self::linked( $user );
		try {
			$membership = Api::client()->createOrganizationMembership( $workos_id, $org['workos_id'], $role );
		} catch ( \WorkOS\Native\Exception $e ) {
			throw CommandError::from_workos( $e, sprintf( 'the membership of user %d in "%s"', $user->ID, $org['name'] ) );
		}
		Memberships::upserted( $membership );
		return new Result( array(), array(), sprintf( "Added user #%d (%s) to organization '%s' with role '%s'.", $user->ID, $user->user_email, $org['name'], $role ) );
	}

	/**
	 * `org remove-member`.
	 *
	 * @param array $args  Words.
	 * @param array $assoc Options.
	 * @throws CommandError On bad input or a refusal of WorkOS.
	 */
	public static function remove_member( array $args, array $assoc ): Result {
		$org  = self::local( self::word( $args, 0, 'an organization id' ), false );
		$user = self::user( self::word( $args, 1, 'a WordPress user id' ) );
		if ( empty( $assoc['yes'] ) ) {
			throw new CommandError( sprintf( "Removing user #%d (%s) from organization '%s' needs --yes.", $user->ID, $user->user_email, $org['name'] ) );
		}
		$workos_id = self::linked( $user );
		try {
			// WorkOS is asked, not the local copy: it may know a membership no webhook brought yet.
			$page = Api::client()->listOrganizationMemberships(
				array(
					'user_id'         => $workos_id,
					'organization_id' => $org['workos_id'],
					'statuses'        => array( 'active', 'inactive', 'pending' ),
				)
			);
			$found = is_array( $page['data'] ?? null ) ? $page['data'] : array();
			if ( ! $found ) {
				throw new CommandError( sprintf( "User #%d is not a member of organization '%s'.", $user->ID, $org['name'] ) );
			}
			foreach ( $found as $membership ) {
				Api::client()->deleteOrganizationMembership( (string) $membership['id'] );
				Memberships::deleted( $membership );
			}
		} catch ( \WorkOS\Native\Exception $e ) {
			throw CommandError::from_workos( $e, sprintf( 'the membership of user %d in "%s"', $user->ID, $org['name'] ) );
		}
		return new Result( array(), array(), sprintf( "Removed user #%d from organization '%s'.", $user->ID, $org['name'] ) );
	}

	/**
	 * A local organization row by local id, or by WorkOS id when asked or
	 * when the value is one (org_…).
	 *
	 * @param string $key       What was typed.
	 * @param bool   $workos_id Read it as a WorkOS id.
	 * @throws CommandError When there is none.
	 */
	public static function local( string $key, bool $workos_id ): array {
		global $wpdb;
		Schema::ensure();
		$table = Schema::table( 'organizations' );
		if ( $workos_id || 0 === strpos( $key, 'org_' ) ) {
			$row = $wpdb->get_row( $wpdb->prepare( "SELECT * FROM {$table} WHERE workos_id = %s", $key ), ARRAY_A ); // phpcs:ignore WordPress.DB
		} elseif ( ctype_digit( $key ) ) {
			$row = $wpdb->get_row( $wpdb->prepare( "SELECT * FROM {$table} WHERE id = %d", (int) $key ), ARRAY_A ); // phpcs:ignore WordPress.DB
		} else {
			throw new CommandError( sprintf( '"%s" is neither a local organization id (a number) nor a WorkOS one (org_…).', $key ) );
		}
		if ( ! is_array( $row ) ) {
			throw new CommandError( sprintf( 'Organization %s not found (run `org sync <org_id>` or `sync orgs` to copy it from WorkOS).', ctype_digit( $key ) ? '#' . $key : '"' . $key . '"' ) );
		}
		return $row;
	}

	/**
	 * A local organization as `org get` prints it.
	 *
	 * @param array $row Table row.
	 */
	private static function row( array $row ): array {
		return array(
			'id'            => (int) $row['id'],
			'workos_org_id' => (string) $row['workos_id'],
			'name'          => (string) $row['name'],
			'slug'          => (string) $row['slug'],
			'domains'       => implode( ',', array_column( (array) json_decode( (string) $row['domains'], true ), 'domain' ) ),
			'updated_at'    => (string) $row['updated_at'],
		);
	}

	/**
	 * A WordPress user by id.
	 *
	 * @param string $id What was typed.
	 * @throws CommandError When there is none.
	 */
	private static function user( string $id ): \WP_User {
		$user = ctype_digit( $id ) ? get_user_by( 'id', (int) $id ) : false;
		if ( ! $user ) {
			throw new CommandError( sprintf( 'WordPress user #%s not found.', $id ) );
		}
		return $user;
	}

	/**
	 * The WorkOS user a WordPress user is linked to.
	 *
	 * @param \WP_User $user The user.
	 * @throws CommandError When it is not linked.
	 */
	private static function linked( \WP_User $user ): string {
		$workos_id = (string) get_user_meta( $user->ID, Users::META_ID, true );
		if ( '' === $workos_id ) {
			throw new CommandError( sprintf( 'User #%d is not linked to WorkOS (see: user link, or sync push).', $user->ID ) );
		}
		return $workos_id;
	}

	/**
	 * A positional word, or a clear error.
	 *
	 * @param array  $args  Words.
	 * @param int    $index Position.
	 * @param string $what  What is expected there.
	 * @throws CommandError When it is missing.
	 */
	private static function word( array $args, int $index, string $what ): string {
		$value = isset( $args[ $index ] ) ? trim( (string) $args[ $index ] ) : '';
		if ( '' === $value ) {
			throw new CommandError( sprintf( 'Missing argument: %s.', $what ) );
		}
		return $value;
	}
}
