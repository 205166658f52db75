<?php
/**
 * Directory Sync: directory users become WordPress users; groups give roles.
 *
 * @package WorkOS_WP
 */

namespace WorkOS_WP;

defined( 'ABSPATH' ) || exit;

/**
 * dsync.* event handlers.
 *
 * A directory user is linked through its own usermeta key, never through
 * `_workos_user_id`: a directory record and a WorkOS sign-in identity are
 * different things, and one must not overwrite the other's link.
 */
final class Directory {

	/** Usermeta: the directory user id (`directory_user_…`). */
	public const META_ID = '_workos_directory_user_id';

	/** Usermeta: the directory groups the user is in: [{id, name}]. */
	public const META_GROUPS = '_workos_directory_groups';

	/** Deactivation marker for deprovisioning by the directory. */
	public const REASON = 'directory';

	/**
	 * The WordPress user linked to a directory user.
	 *
	 * @param string $directory_user_id Directory user id.
	 */
	public static function find( string $directory_user_id ): ?\WP_User {
		return Links::find( 'directory', $directory_user_id );
	}

	/**
	 * dsync.user.created / dsync.user.updated.
	 *
	 * @param array $data Directory user.
	 */
	public static function user_upserted( array $data ): string {
		$id    = is_string( $data['id'] ?? null ) ? $data['id'] : '';
		$email = self::primary_email( $data );
		if ( '' === $id || '' === $email ) {
			return 'invalid';
		}
		$active  = 'active' === ( $data['state'] ?? 'active' );
		$user    = self::find( $id );
		$outcome = 'updated';
		if ( ! $user ) {
			if ( ! $active ) {
				return 'inactive_unknown_user';
			}
			$existing = get_user_by( 'email', $email );
			if ( $existing ) {
				// The directory speaks for a mailbox only on its organization's
				// verified domains; elsewhere it could claim anyone's account.
				if ( ! Organizations::domain_is_verified( (string) ( $data['organization_id'] ?? '' ), $email ) ) {
					Log::event( 'directory_link_refused', array( 'user_id' => $existing->ID, 'directory_user_id' => $id, 'reason' => 'unverified_domain' ) );
					return 'email_not_verified';
				}
				$other = (string) get_user_meta( $existing->ID, self::META_ID, true );
				if ( '' !== $other && $other !== $id ) {
					return 'already_linked';
				}
				$user    = $existing;
				$outcome = 'linked';
			} else {
				$user = self::create( $data, $email );
				if ( is_wp_error( $user ) ) {
					return $user->get_error_code();
				}
				$outcome = 'created';
			}
			update_user_meta( $user->ID, self::META_ID, $id );
		}

		$updated = Users::update_profile(
			$user,
			array(
				'email'      => $email,
				'first_name' => $data['first_name'] ?? null,
				'last_name'  => $data['last_name'] ?? null,
			)
		);
		if ( is_wp_error( $updated ) ) {
			return $updated->get_error_code();
		}
		$user = $updated;
		if ( isset( $data['groups'] ) && is_array( $data['groups'] ) ) {
			self::set_groups( $user, $data['groups'] );
		}
		if ( ! $active ) {
			return Users::deprovision( $user, self::REASON );
		}
		Users::reactivate( $user, self::REASON );
		return $outcome;
	}

	/**
	 * dsync.user.deleted.
	 *
	 * @param array $data Directory user.
	 */
	public static function user_deleted( array $data ): string {
		$user = self::find( is_string( $data['id'] ?? null ) ? $data['id'] : '' );
		return $user ? Users::deprovision( $user, self::REASON ) : 'no_linked_user';
	}

	/**
	 * dsync.group.user_added / dsync.group.user_removed: the group list
	 * changes, and with it the mapped role.
	 *
	 * @param array  $data {directory_id, user, group}.
	 * @param string $type Event type.
	 */
	public static function group_changed( array $data, string $type ): string {
		$user  = self::find( is_string( $data['user']['id'] ?? null ) ? $data['user']['id'] : '' );
		$group = is_array( $data['group'] ?? null ) ? $data['group'] : array();
		if ( ! $user || ! is_string( $group['id'] ?? null ) ) {
			return 'no_linked_user';
		}
		$groups = array();
		foreach ( self::groups_of( $user->ID ) as $g ) {
			$groups[ $g['id'] ] = $g;
		}
		if ( 'dsync.group.user_added' === $type ) {
			$groups[ $group['id'] ] = $group;
		} else {
			unset( $groups[ $group['id'] ] );
		}
		self::set_groups( $user, array_values( $groups ) );
		return 'dsync.group.user_added' === $type ? 'group_added' : 'group_removed';
	}

	/**
	 * The user's directory groups.
	 *
	 * @param int $user_id User id.
	 * @return array<int, array{id: string, name: string}>
	 */
	public static function groups_of( int $user_id ): array {
		$groups = get_user_meta( $user_id, self::META_GROUPS, true );
		return is_array( $groups ) ? $groups : array();
	}

	/**
	 * Stores the groups and gives the role the role map assigns to them (by
	 * group name or id, first map line wins). No mapped group: the default
	 * role when one is set, else the role stays.
	 *
	 * @param \WP_User $user   User.
	 * @param array    $groups Directory groups.
	 */
	private static function set_groups( \WP_User $user, array $groups ): void {
		$clean = array();
		foreach ( $groups as $g ) {
			if ( is_array( $g ) && is_string( $g['id'] ?? null ) ) {
				$clean[] = array(
					'id'   => $g['id'],
					'name' => sanitize_text_field( (string) ( $g['name'] ?? '' ) ),
				);
			}
		}
		update_user_meta( $user->ID, self::META_GROUPS, $clean );
		$held = array();
		foreach ( $clean as $g ) {
			$held[] = $g['id'];
			if ( '' !== $g['name'] ) {
				$held[] = $g['name'];
			}
		}
		$role = $held ? RoleMap::resolve( $held ) : '';
		if ( '' === $role ) {
			$role = Settings::get( 'default_role' );
		}
		if ( '' !== $role && wp_roles()->is_role( $role ) ) {
			RoleMap::apply( get_user_by( 'id', $user->ID ), $role );
		}
	}

	/**
	 * Creates the WordPress user of a directory user.
	 *
	 * @param array  $data  Directory user.
	 * @param string $email Primary email.
	 * @return \WP_User|\WP_Error
	 */
	private static function create( array $data, string $email ) {
		$first   = sanitize_text_field( (string) ( $data['first_name'] ?? '' ) );
		$last    = sanitize_text_field( (string) ( $data['last_name'] ?? '' ) );
		$default = Settings::get( 'default_role' );
		$user_id = wp_insert_user(
			array(
				'user_login'   => Users::unique_login( $email ),
				'user_email'   => $email,
				'user_pass'    => wp_generate_password( 32, true, true ),
				'first_name'   => $first,
				'last_name'    => $last,
				'display_name' => Users::display_name( $first, $last, $email ),
				'role'         => '' !== $default ? $default : (string) get_option( 'default_role', 'subscriber' ),
			)
		);
		if ( is_wp_error( $user_id ) ) {
			return $user_id;
		}
		Log::event( 'user_created', array( 'user_id' => $user_id, 'directory_user_id' => $data['id'] ) );
		return get_user_by( 'id', $user_id );
	}

	/**
	 * The directory user's primary email (else the first one).
	 *
	 * @param array $data Directory user.
	 */
	private static function primary_email( array $data ): string {
		$emails = is_array( $data['emails'] ?? null ) ? $data['emails'] : array();
		$chosen = '';
		foreach ( $emails as $e ) {
			$value = is_array( $e ) && is_string( $e['value'] ?? null ) ? sanitize_email( $e['value'] ) : '';
			if ( '' === $value ) {
				continue;
			}
			if ( '' === $chosen || ! empty( $e['primary'] ) ) {
				$chosen = $value;
			}
			if ( ! empty( $e['primary'] ) ) {
				break;
			}
		}
		if ( '' === $chosen && is_string( $data['email'] ?? null ) ) {
			$chosen = sanitize_email( $data['email'] );
		}
		return is_email( $chosen ) ? $chosen : '';
	}
}
