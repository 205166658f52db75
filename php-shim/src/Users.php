<?php
/**
 * Linking WorkOS users to WordPress users.
 *
 * @package WorkOS_WP
 */

namespace WorkOS_WP;

defined( 'ABSPATH' ) || exit;

/**
 * Finds, links or creates the WordPress user of a WorkOS user.
 */
final class Users {

	/** Usermeta holding the WorkOS user id (`user_…`). */
	public const META_ID = '_workos_user_id';

	/** Usermeta set on deactivated users: no sign-in by any path. */
	public const META_DEACTIVATED = '_workos_deactivated';

	/**
	 * Whether the user is deactivated.
	 *
	 * @param int $user_id WordPress user id.
	 */
	public static function is_deactivated( int $user_id ): bool {
		return (bool) get_user_meta( $user_id, self::META_DEACTIVATED, true );
	}

	/**
	 * Signs the user out everywhere: every WordPress session ends now.
	 *
	 * @param int $user_id WordPress user id.
	 */
	public static function end_sessions( int $user_id ): void {
		\WP_Session_Tokens::get_instance( $user_id )->destroy_all();
		Log::event( 'sessions_destroyed', array( 'user_id' => $user_id ) );
	}

	/**
	 * The WordPress user linked to a WorkOS user id, if any.
	 *
	 * @param string $workos_id WorkOS user id.
	 */
	public static function find_linked( string $workos_id ): ?\WP_User {
		return Links::find( 'user', $workos_id );
	}

	/**
	 * Finds the linked user, or links an existing user by *verified* email, or
	 * creates one.
	 *
	 * @param array  $workos_user The `user` object WorkOS returned.
	 * @param string $new_role    Role for a user created now ('' = WordPress's default).
	 * @return \WP_User|\WP_Error
	 */
	public static function resolve( array $workos_user, string $new_role = '' ) {
		$id    = is_string( $workos_user['id'] ?? null ) ? $workos_user['id'] : '';
		$email = is_string( $workos_user['email'] ?? null ) ? sanitize_email( $workos_user['email'] ) : '';
		if ( '' === $id ) {
			return new \WP_Error( 'invalid_user', __( 'WorkOS did not return a user.', 'workos' ) );
		}
		$linked = self::find_linked( $id );
		if ( $linked ) {
			return $linked;
		}
		// An unverified address proves nothing about who owns the mailbox, so
		// it may neither take over an account nor claim an address.
		if ( true !== ( $workos_user['email_verified'] ?? null ) ) {
			return new \WP_Error( 'email_not_verified', __( 'Your email address is not verified with WorkOS, so it cannot be used to sign in here. Verify it and try again.', 'workos' ) );
		}
		if ( '' === $email || ! is_email( $email ) ) {
			return new \WP_Error( 'invalid_email', __( 'WorkOS returned no usable email address.', 'workos' ) );
		}
		$existing = get_user_by( 'email', $email );
		if ( $existing ) {
			$other = (string) get_user_meta( $existing->ID, self::META_ID, true );
			if ( '' !== $other && $other !== $id ) {
				return new \WP_Error( 'already_linked', __( 'This email belongs to an account linked to another WorkOS user.', 'workos' ) );
			}
			self::link( $existing, $id );
			return $existing;
		}
		return self::create( $id, $email, $workos_user, $new_role );
	}

	/**
	 * Takes away access as the `deprovision_action` setting says:
	 * `deactivate` (flag + sessions ended; no sign-in by any path), `demote`
	 * (to `deprovision_role`) or `delete` (content to `deprovision_reassign`,
	 * or deleted with the user).
	 *
	 * @param \WP_User $user   The user.
	 * @param string   $reason Why (stored as the deactivation marker).
	 * @return string Outcome.
	 */
	public static function deprovision( \WP_User $user, string $reason ): string {
		$action = Settings::get( 'deprovision_action' );
		if ( 'delete' === $action ) {
			require_once ABSPATH . 'wp-admin/includes/user.php';
			$reassign = (int) Settings::get( 'deprovision_reassign' );
			$reassign = $reassign && $reassign !== $user->ID && get_userdata( $reassign ) ? $reassign : null;
			wp_delete_user( $user->ID, $reassign );
			Log::event( 'user_deleted', array( 'user_id' => $user->ID, 'reason' => $reason, 'reassigned_to' => (int) $reassign ) );
			return 'deleted';
		}
		if ( 'demote' === $action ) {
			$role = Settings::get( 'deprovision_role' );
			RoleMap::apply( $user, wp_roles()->is_role( $role ) ? $role : 'subscriber' );
			Log::event( 'user_demoted', array( 'user_id' => $user->ID, 'reason' => $reason ) );
			return 'demoted';
		}
		if ( ! self::is_deactivated( $user->ID ) ) {
			update_user_meta( $user->ID, self::META_DEACTIVATED, $reason ); // Ends every session (see on_user_meta).
			Log::event( 'user_deactivated', array( 'user_id' => $user->ID, 'reason' => $reason ) );
		}
		return 'deactivated';
	}

	/**
	 * Lifts a deactivation made for `$reason` (and only that one: an admin's
	 * own deactivation is not undone by the directory).
	 *
	 * @param \WP_User $user   The user.
	 * @param string   $reason The reason it was deactivated for.
	 */
	public static function reactivate( \WP_User $user, string $reason ): bool {
		if ( get_user_meta( $user->ID, self::META_DEACTIVATED, true ) !== $reason ) {
			return false;
		}
		delete_user_meta( $user->ID, self::META_DEACTIVATED );
		Log::event( 'user_reactivated', array( 'user_id' => $user->ID, 'reason' => $reason ) );
		return true;
	}

	/**
	 * Links a WordPress user to a WorkOS user id.
	 *
	 * @param \WP_User $user      WordPress user.
	 * @param string   $workos_id WorkOS user id.
	 */
	public static function link( \WP_User $user, string $workos_id ): void {
		if ( '' === $workos_id ) {
			return;
		}
		update_user_meta( $user->ID, self::META_ID, $workos_id );
		Log::event(
			'user_linked',
			array(
				'user_id'   => $user->ID,
				'workos_id' => $workos_id,
			)
		);
	}

	/**
	 * Creates a WordPress user for a WorkOS user.
	 *
	 * @param string $id          WorkOS user id.
	 * @param string $email       Verified email.
	 * @param array  $workos_user WorkOS user object.
	 * @param string $role        Role ('' = WordPress's default role).
	 * @return \WP_User|\WP_Error
	 */
	private static function create( string $id, string $email, array $workos_user, string $role ) {
		$first   = sanitize_text_field( (string) ( $workos_user['first_name'] ?? '' ) );
		$last    = sanitize_text_field( (string) ( $workos_user['last_name'] ?? '' ) );
		$user_id = wp_insert_user(
			array(
				'user_login'   => self::unique_login( $email ),
				'user_email'   => $email,
				'user_pass'    => wp_generate_password( 32, true, true ),
				'first_name'   => $first,
				'last_name'    => $last,
				'display_name' => self::display_name( $first, $last, $email ),
				'role'         => '' !== $role ? $role : (string) get_option( 'default_role', 'subscriber' ),
			)
		);
		if ( is_wp_error( $user_id ) ) {
			return $user_id;
		}
		update_user_meta( $user_id, self::META_ID, $id );
		Log::event(
			'user_created',
			array(
				'user_id'   => $user_id,
				'workos_id' => $id,
			)
		);
		return get_user_by( 'id', $user_id );
	}

	/**
	 * Applies a WorkOS user's email and names to the linked WordPress user.
	 *
	 * @param array $workos_user WorkOS user object.
	 * @return \WP_User|\WP_Error|null Null when no user is linked.
	 */
	public static function sync( array $workos_user ) {
		$user = self::find_linked( is_string( $workos_user['id'] ?? null ) ? $workos_user['id'] : '' );
		return $user ? self::update_profile( $user, $workos_user ) : null;
	}

	/**
	 * Applies `email`, `first_name` and `last_name` (those present) from
	 * WorkOS or the directory to a user; the display name follows the names.
	 * An email another account already uses is refused, and nothing changes.
	 *
	 * @param \WP_User $user   The user.
	 * @param array    $fields Source fields.
	 * @return \WP_User|\WP_Error
	 */
	public static function update_profile( \WP_User $user, array $fields ) {
		$changes = array( 'ID' => $user->ID );
		foreach ( array( 'first_name', 'last_name' ) as $field ) {
			if ( array_key_exists( $field, $fields ) && null !== $fields[ $field ] ) {
				$changes[ $field ] = sanitize_text_field( (string) $fields[ $field ] );
			}
		}
		$email = is_string( $fields['email'] ?? null ) ? sanitize_email( $fields['email'] ) : '';
		if ( '' !== $email && is_email( $email ) && strtolower( $email ) !== strtolower( $user->user_email ) ) {
			$owner = get_user_by( 'email', $email );
			if ( $owner && $owner->ID !== $user->ID ) {
				return new \WP_Error( 'email_in_use', __( 'Another account already uses this email address.', 'workos' ) );
			}
			$changes['user_email'] = $email;
		}
		if ( isset( $changes['first_name'] ) || isset( $changes['last_name'] ) ) {
			$changes['display_name'] = self::display_name( $changes['first_name'] ?? $user->first_name, $changes['last_name'] ?? $user->last_name, $email ? $email : $user->user_email );
		}
		if ( 1 === count( $changes ) ) {
			return $user; // Nothing to write: no profile_update for nothing.
		}
		$result = wp_update_user( $changes );
		return is_wp_error( $result ) ? $result : get_user_by( 'id', $user->ID );
	}

	/**
	 * "First Last", or the email's local part.
	 *
	 * @param string $first First name.
	 * @param string $last  Last name.
	 * @param string $email Email.
	 */
	public static function display_name( string $first, string $last, string $email ): string {
		$name = trim( $first . ' ' . $last );
		return '' !== $name ? $name : (string) strstr( $email, '@', true );
	}

	/**
	 * A free user_login derived from the email's local part.
	 *
	 * @param string $email Email.
	 */
	public static function unique_login( string $email ): string {
		$base = sanitize_user( (string) strstr( $email, '@', true ), true );
		$base = '' !== $base ? substr( $base, 0, 50 ) : 'workos-user';
		$login = $base;
		for ( $i = 2; username_exists( $login ); $i++ ) {
			$login = $base . '-' . $i;
		}
		return $login;
	}
}
