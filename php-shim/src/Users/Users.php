<?php
/**
 * Linking WorkOS users to WordPress users.
 *
 * @package WorkOS_WP
 */

namespace WorkOS_WP\Users;

use WorkOS_WP\Log;
use WorkOS_WP\Settings;

defined( 'ABSPATH' ) || exit;

/**
 * Finds, links or creates the WordPress user of a WorkOS user.
 */
final class Users {

	/** Usermeta holding the WorkOS user id (`user_…`). */
	public const META_ID = UserMeta::USER_ID;

	/** Usermeta set on deactivated users: no sign-in by any path. */
	public const META_DEACTIVATED = UserMeta::DEACTIVATED;

	/** Usermeta keeping a deactivated user's capabilities (per site) until reactivation. */
	public const META_DEACTIVATED_ROLES = UserMeta::DEACTIVATED_ROLES;

	/**
	 * Whether the user is deactivated.
	 *
	 * @param int $user_id WordPress user id.
	 */
	public static function is_deactivated( int $user_id ): bool {
		return (bool) get_user_meta( $user_id, self::META_DEACTIVATED, true );
	}

	/**
	 * Signs the user out everywhere: every WordPress session ends now. Runs
	 * whenever any code deactivates a user (see on_user_meta()), and then
	 * also takes away what would outlive this plugin (withdraw_access()).
	 *
	 * @param int $user_id WordPress user id.
	 */
	public static function end_sessions( int $user_id ): void {
		\WP_Session_Tokens::get_instance( $user_id )->destroy_all();
		Log::event( 'sessions_destroyed', array( 'user_id' => $user_id ) );
		if ( self::is_deactivated( $user_id ) ) {
			self::withdraw_access( $user_id );
		}
	}

	/**
	 * A deactivated user is refused by this plugin's hooks, which end when
	 * the plugin is deactivated or uninstalled. So deactivation also removes
	 * what WordPress alone would honour: every application password (gone
	 * for good) and every role and capability on every site of the network
	 * (kept in META_DEACTIVATED_ROLES, and super-admin status with them, for
	 * restore_access()). The capability rows are emptied directly, so no
	 * `set_user_role` fires: nothing is pushed to WorkOS as a role change.
	 *
	 * @param int $user_id WordPress user id.
	 */
	private static function withdraw_access( int $user_id ): void {
		global $wpdb;
		$kept  = get_user_meta( $user_id, self::META_DEACTIVATED_ROLES, true );
		$kept  = is_array( $kept ) ? $kept : array();
		$sites = is_multisite() ? array_map( 'intval', array_keys( get_blogs_of_user( $user_id, true ) ) ) : array( get_current_blog_id() );
		foreach ( $sites as $site ) {
			$key  = $wpdb->get_blog_prefix( $site ) . 'capabilities';
			$caps = get_user_meta( $user_id, $key, true );
			if ( is_array( $caps ) && $caps ) {
				// A second deactivation keeps what the first one took away.
				$kept['sites'][ $site ] = array_merge( $caps, (array) ( $kept['sites'][ $site ] ?? array() ) );
				update_user_meta( $user_id, $key, array() );
				update_user_meta( $user_id, $wpdb->get_blog_prefix( $site ) . 'user_level', 0 );
			}
		}
		if ( is_multisite() && is_super_admin( $user_id ) && revoke_super_admin( $user_id ) ) {
			$kept['super_admin'] = true;
		}
		if ( $kept ) {
			update_user_meta( $user_id, self::META_DEACTIVATED_ROLES, $kept );
		}
		\WP_Application_Passwords::delete_all_application_passwords( $user_id );
		clean_user_cache( $user_id );
		Log::event( 'access_withdrawn', array( 'user_id' => $user_id, 'sites' => array_keys( (array) ( $kept['sites'] ?? array() ) ) ) );
	}

	/**
	 * Gives a reactivated user back the roles and capabilities deactivation
	 * took (added to any given meanwhile). Runs whenever the deactivation
	 * marker is removed, by reactivate() or any other code.
	 *
	 * @param int $user_id WordPress user id.
	 */
	public static function restore_access( int $user_id ): void {
		global $wpdb;
		// Uninstalling removes the marker too: that must hand nothing back.
		if ( $user_id <= 0 || defined( 'WP_UNINSTALL_PLUGIN' ) ) {
			return;
		}
		$kept = get_user_meta( $user_id, self::META_DEACTIVATED_ROLES, true );
		if ( ! is_array( $kept ) || self::is_deactivated( $user_id ) ) {
			return;
		}
		foreach ( (array) ( $kept['sites'] ?? array() ) as $site => $caps ) {
			if ( ! is_array( $caps ) || ( is_multisite() && ! get_site( (int) $site ) ) ) {
				continue;
			}
			$key = $wpdb->get_blog_prefix( (int) $site ) . 'capabilities';
			$now = get_user_meta( $user_id, $key, true );
			update_user_meta( $user_id, $key, array_merge( $caps, is_array( $now ) ? $now : array() ) );
			$switched = is_multisite() && switch_to_blog( (int) $site );
			( new \WP_User( $user_id ) )->update_user_level_from_caps();
			if ( $switched ) {
				restore_current_blog();
			}
		}
		if ( ! empty( $kept['super_admin'] ) && is_multisite() ) {
			grant_super_admin( $user_id );
		}
		delete_user_meta( $user_id, self::META_DEACTIVATED_ROLES );
		clean_user_cache( $user_id );
		Log::event( 'access_restored', array( 'user_id' => $user_id ) );
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
	 * The one WordPress account whose email is this address (compared by
	 * `EmailKey::of()`), null when none, a WP_Error when several accounts share
	 * it (then nothing may be linked). The database's collation folds case
	 * (and more), so candidates are checked again in the canonical form.
	 *
	 * @param string $key An `EmailKey::of()`.
	 * @return \WP_User|\WP_Error|null
	 */
	public static function find_by_email( string $key ) {
		global $wpdb;
		$ids   = $wpdb->get_col( $wpdb->prepare( "SELECT ID FROM {$wpdb->users} WHERE user_email = %s ORDER BY ID", $key ) ); // phpcs:ignore WordPress.DB.DirectDatabaseQuery
		$found = array();
		foreach ( $ids as $id ) {
			$user = get_user_by( 'id', (int) $id );
			if ( $user && EmailKey::of( $user->user_email ) === $key ) {
				$found[] = $user;
			}
		}
		if ( count( $found ) > 1 ) {
			Log::event( 'email_ambiguous', array( 'user_ids' => wp_list_pluck( $found, 'ID' ) ) );
			return new \WP_Error( 'email_ambiguous', __( 'Several accounts on this site use your email address, so you cannot be signed in to any of them. Please contact your site administrator.', 'workos' ) );
		}
		return $found ? $found[0] : null;
	}

	/**
	 * Refuses (and logs) an address `EmailKey::of()` does not accept.
	 *
	 * @param mixed  $email  The address as received.
	 * @param string $source Where it came from (sign_in, webhook, directory, cli, sync).
	 * @param string $id     The WorkOS or directory user id.
	 */
	public static function refuse_email( $email, string $source, string $id ): \WP_Error {
		Log::event(
			'email_refused',
			array(
				'source'    => $source,
				'workos_id' => $id,
				'email'     => is_string( $email ) ? wp_check_invalid_utf8( substr( $email, 0, 320 ), true ) : gettype( $email ),
			)
		);
		return new \WP_Error( 'invalid_email', __( 'The email address WorkOS has for you cannot be used on this site, so you could not be signed in. Please contact your site administrator.', 'workos' ) );
	}

	/**
	 * Finds the linked user, or links an existing user by *verified* email
	 * (compared by `EmailKey::of()`), or creates one.
	 *
	 * Parallel callers about one person (several browsers, the CLI, and
	 * webhooks, which take the same lock in Events::process) take turns
	 * under its AccountLock, so only one of them creates the account.
	 *
	 * @param array  $workos_user The `user` object WorkOS returned.
	 * @param string $new_role    Role for a user created now ('' = WordPress's default).
	 * @param string $source      Which path asks (for the log).
	 * @return \WP_User|\WP_Error
	 */
	public static function resolve( array $workos_user, string $new_role = '', string $source = 'sign_in' ) {
		return AccountLock::run(
			AccountLock::email( is_string( $workos_user['email'] ?? null ) ? $workos_user['email'] : '' ),
			static function () use ( $workos_user, $new_role, $source ) {
				return self::resolve_now( $workos_user, $new_role, $source );
			}
		);
	}

	/**
	 * resolve(), under the account's lock.
	 *
	 * @param array  $workos_user The `user` object WorkOS returned.
	 * @param string $new_role    Role for a user created now.
	 * @param string $source      Which path asks.
	 * @return \WP_User|\WP_Error
	 */
	private static function resolve_now( array $workos_user, string $new_role, string $source ) {
		$id = is_string( $workos_user['id'] ?? null ) ? $workos_user['id'] : '';
		if ( '' === $id ) {
			return new \WP_Error( 'invalid_user', __( 'WorkOS did not say who you are, so you were not signed in. Please sign in again; if this keeps happening, contact your site administrator.', 'workos' ) );
		}
		$linked = self::find_linked( $id );
		if ( $linked ) {
			return $linked;
		}
		// An unverified address proves nothing about who owns the mailbox, so
		// it may neither take over an account nor claim an address.
		if ( true !== ( $workos_user['email_verified'] ?? null ) ) {
			return new \WP_Error( 'email_not_verified', __( 'Your email address is not verified yet, so it cannot be used to sign in here. Verify it (WorkOS sends the link or code by email), then sign in again.', 'workos' ) );
		}
		$email = EmailKey::of( $workos_user['email'] ?? null );
		if ( null === $email ) {
			return self::refuse_email( $workos_user['email'] ?? null, $source, $id );
		}
		$existing = self::find_by_email( $email );
		if ( is_wp_error( $existing ) ) {
			return $existing;
		}
		if ( $existing ) {
			$other = (string) get_user_meta( $existing->ID, self::META_ID, true );
			if ( '' !== $other && $other !== $id ) {
				return new \WP_Error( 'already_linked', __( 'Your email address belongs to an account on this site that signs in with another WorkOS user. Please contact your site administrator.', 'workos' ) );
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
			// Ends every session and withdraws roles and application
			// passwords (see on_user_meta() and end_sessions()).
			update_user_meta( $user->ID, self::META_DEACTIVATED, $reason );
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
		delete_user_meta( $user->ID, self::META_DEACTIVATED ); // Gives the roles back (see on_user_meta_deleted).
		self::restore_access( $user->ID ); // In case the hook is not there (WP-CLI outside the plugin).
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
			// WordPress's reason (a login or address it refuses) is the
			// administrator's to act on; the visitor gets the next step.
			return new \WP_Error( $user_id->get_error_code(), __( 'An account could not be created for you on this site. Please contact your site administrator.', 'workos' ), array( 'detail' => $user_id->get_error_message() ) );
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
		if ( true !== ( $workos_user['email_verified'] ?? null ) ) {
			unset( $workos_user['email'] ); // Only a verified address may become the account's.
		}
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
		$email = '';
		if ( isset( $fields['email'] ) && EmailKey::of( $user->user_email ) !== EmailKey::of( $fields['email'] ) ) {
			// A new address is taken only in the form WordPress stores unchanged;
			// anything else keeps the old one (and is logged).
			$email = (string) EmailKey::of( $fields['email'] );
			if ( '' === $email ) {
				return self::refuse_email( $fields['email'], 'profile', (string) get_user_meta( $user->ID, self::META_ID, true ) );
			}
			$owner = self::find_by_email( $email );
			if ( is_wp_error( $owner ) || ( $owner && $owner->ID !== $user->ID ) ) {
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
