<?php
/**
 * The profile screens (profile.php, user-edit.php) of an account WorkOS
 * manages.
 *
 * @package WorkOS_WP
 */

namespace WorkOS_WP\Users;

use WorkOS_WP\Schema;
use WorkOS_WP\Settings;

defined( 'ABSPATH' ) || exit;

/**
 * For an account linked to WorkOS (a WorkOS user or a directory user): a
 * notice that says who manages it, no password fields, and a read-only
 * email address — and the same refused on the server, whoever edits.
 *
 * Why both, for everyone (administrators editing another user included):
 * the person signs in at WorkOS, so a password set here would not be the
 * one they use — worse, with the password fallback's write-through, a
 * password an administrator sets here would become their WorkOS password
 * at the next fallback sign-in. The email address is WorkOS's (or the
 * directory's) and comes back with the next `user.updated` event or
 * directory sync, so a change here would be silently undone. Both are
 * changed at WorkOS; `wp user update` (which runs none of these hooks)
 * stays the administrator's escape hatch.
 *
 * Application passwords stay: they are WordPress's own credentials for the
 * REST API and XML-RPC, which WorkOS has no equivalent of; they are
 * checked by WordPress, not WorkOS, and deactivating the account deletes
 * them (Users::withdraw_access()).
 *
 * Loaded only on those two screens (`load-profile.php`, `load-user-edit.php`).
 */
final class ProfileScreen {

	/** The error codes of refused changes (user_profile_update_errors). */
	public const PASSWORD_REFUSED = 'workos_password_managed';
	public const EMAIL_REFUSED    = 'workos_email_managed';

	/**
	 * Whether the user's own email change was refused in this request (it is
	 * caught before WordPress mails a confirmation; see keep_own_email()).
	 *
	 * @var bool
	 */
	private static $email_refused = false;

	/**
	 * load-profile.php / load-user-edit.php: the hooks of this screen.
	 */
	public static function load(): void {
		// The server's refusal judges the user actually saved, whatever the URL said.
		add_action( 'user_profile_update_errors', array( self::class, 'refuse_changes' ), 10, 3 );
		$user_id = self::screen_user_id();
		if ( ! $user_id || ! self::is_managed( $user_id ) ) {
			return; // Unlinked users' profiles are WordPress's, unchanged.
		}
		add_action( 'admin_notices', array( self::class, 'notice' ) );
		add_filter( 'show_password_fields', array( self::class, 'show_password_fields' ), 10, 2 );
		// Runs before WordPress's send_confirmation_on_profile_email() (10).
		add_action( 'personal_options_update', array( self::class, 'keep_own_email' ), 5 );
		// The email field and the administrator's "Send Reset Link" row have
		// no filter: the part of the form between these two actions is
		// rewritten (see rewrite_form()).
		add_action( 'personal_options', array( self::class, 'start_form' ) );
		add_action( 'show_user_profile', array( self::class, 'end_form' ), 0 );
		add_action( 'edit_user_profile', array( self::class, 'end_form' ), 0 );
	}

	/**
	 * Whether WorkOS manages the account: linked to a WorkOS user or to a
	 * Directory Sync user.
	 *
	 * @param int $user_id WordPress user id.
	 */
	public static function is_managed( int $user_id ): bool {
		return '' !== (string) get_user_meta( $user_id, UserMeta::USER_ID, true )
			|| '' !== (string) get_user_meta( $user_id, UserMeta::DIRECTORY_USER_ID, true );
	}

	/**
	 * admin_notices: who manages this account, and what that means here.
	 */
	public static function notice(): void {
		printf(
			'<div class="notice notice-info workos-managed-notice"><p><strong>%1$s</strong> %2$s</p></div>',
			/* translators: %s: organization name, or "your organization". */
			esc_html( sprintf( __( 'This account is managed by %s through WorkOS.', 'workos' ), self::organization_name() ) ),
			esc_html__( 'Its password and email address are changed there, not on this site.', 'workos' )
		);
	}

	/**
	 * show_password_fields: no "Set New Password" for a managed account.
	 *
	 * @param bool     $show Whether to show them.
	 * @param \WP_User $user The user being edited.
	 */
	public static function show_password_fields( $show, $user ) {
		return $user instanceof \WP_User && self::is_managed( $user->ID ) ? false : $show;
	}

	/**
	 * personal_options_update (priority 5): a managed person changing their
	 * own email is refused before WordPress emails a confirmation link to
	 * the new address (which would change it without edit_user()).
	 *
	 * @param int $user_id The user.
	 */
	public static function keep_own_email( $user_id ): void {
		$user = get_userdata( (int) $user_id );
		// phpcs:ignore WordPress.Security.NonceVerification.Missing -- WordPress checked the update-user nonce before this action.
		$posted = isset( $_POST['email'] ) ? sanitize_text_field( wp_unslash( $_POST['email'] ) ) : '';
		if ( $user && self::is_managed( $user->ID ) && '' !== $posted && strtolower( $posted ) !== strtolower( $user->user_email ) ) {
			self::$email_refused = true;
			$_POST['email']      = $user->user_email; // What WordPress then compares and saves: the unchanged address.
		}
	}

	/**
	 * user_profile_update_errors: no password and no email change for a
	 * managed account, whoever edits it (see the class comment for why).
	 *
	 * @param \WP_Error $errors Errors so far.
	 * @param bool      $update Whether an existing user is updated.
	 * @param object    $user   The user data about to be saved.
	 */
	public static function refuse_changes( $errors, $update, $user ): void {
		if ( ! $update || ! $errors instanceof \WP_Error || ! is_object( $user ) || empty( $user->ID ) || ! self::is_managed( (int) $user->ID ) ) {
			return;
		}
		$org = self::organization_name();
		if ( ! empty( $user->user_pass ) ) {
			/* translators: %s: organization name, or "your organization". */
			$errors->add( self::PASSWORD_REFUSED, esc_html( sprintf( __( 'This account\'s password is managed by %s through WorkOS, so it cannot be changed here.', 'workos' ), $org ) ), array( 'form-field' => 'pass1' ) );
		}
		$current = get_userdata( (int) $user->ID );
		$changed = $current && isset( $user->user_email ) && strtolower( (string) $user->user_email ) !== strtolower( $current->user_email );
		if ( self::$email_refused || $changed ) {
			/* translators: %s: organization name, or "your organization". */
			$errors->add( self::EMAIL_REFUSED, esc_html( sprintf( __( 'This account\'s email address is managed by %s through WorkOS, so it cannot be changed here.', 'workos' ), $org ) ), array( 'form-field' => 'email' ) );
		}
	}

	/**
	 * personal_options: the form from here to the end of its sections is
	 * kept to be rewritten (see end_form()).
	 */
	public static function start_form(): void {
		ob_start();
	}

	/**
	 * show_user_profile / edit_user_profile (priority 0): prints the kept
	 * part of the form, rewritten.
	 */
	public static function end_form(): void {
		if ( ob_get_level() > 0 ) {
			echo self::rewrite_form( (string) ob_get_clean() ); // phpcs:ignore WordPress.Security.EscapeOutput.OutputNotEscaped -- WordPress's own markup, with escaped additions.
		}
	}

	/**
	 * WordPress's form with the email read-only and explained, and without
	 * the "Send Reset Link" row (a WordPress password is not what this
	 * person signs in with). Markup WordPress has changed is left as it is:
	 * the server still refuses the change.
	 *
	 * @param string $html The form part.
	 */
	public static function rewrite_form( string $html ): string {
		$why  = sprintf(
			'<p class="description" id="workos-email-description">%s</p>',
			/* translators: %s: organization name, or "your organization". */
			esc_html( sprintf( __( 'This address comes from %s through WorkOS and is updated from there; it cannot be changed here.', 'workos' ), self::organization_name() ) )
		);
		// A WorkOS user's address can be changed in the WorkOS section (ProfilePanel), confirmed by a code.
		$id = self::screen_user_id();
		if ( '' !== EmailChange::linked_id( $id ) && EmailChange::enabled() && current_user_can( 'edit_user', $id ) ) {
			$why = sprintf(
				'<p class="description" id="workos-email-description">%s <a href="#workos-panel-heading">%s</a></p>',
				/* translators: %s: organization name, or "your organization". */
				esc_html( sprintf( __( 'This address comes from %s through WorkOS, so it is not edited here.', 'workos' ), self::organization_name() ) ),
				esc_html__( 'Change it in the WorkOS section below.', 'workos' )
			);
		}
		$html = (string) preg_replace_callback(
			'/<input\b[^>]*\bid="email"[^>]*>/',
			static function ( array $m ) use ( $why ): string {
				$input = str_replace( 'aria-describedby="email-description"', 'aria-describedby="workos-email-description"', $m[0] );
				return str_replace( '<input ', '<input readonly="readonly" ', $input ) . $why;
			},
			$html,
			1
		);
		// WordPress's own hint (a confirmation email is sent) no longer applies.
		$html = (string) preg_replace( '/<p class="description" id="email-description">.*?<\/p>/s', '', $html, 1 );
		$html = (string) preg_replace( '/<tr class="user-generate-reset-link-wrap[^"]*">.*?<\/tr>/s', '', $html, 1 );
		// Where "Set New Password" was, say where the password is changed.
		$row = sprintf(
			'<tr class="workos-password-wrap"><th scope="row">%1$s</th><td><p class="description">%2$s</p></td></tr>',
			esc_html__( 'Password', 'workos' ),
			/* translators: %s: organization name, or "your organization". */
			esc_html( sprintf( __( 'Managed by %s through WorkOS: the password (or single sign-on) used to sign in is changed there, not on this site.', 'workos' ), self::organization_name() ) )
		);
		$at = strpos( $html, '<tr class="user-sessions-wrap' );
		return false === $at ? $html : substr_replace( $html, $row, $at, 0 );
	}

	/**
	 * The name of the organization this site serves, from the local copy
	 * (no WorkOS call on a profile screen), or "your organization".
	 */
	public static function organization_name(): string {
		$org  = Settings::get( 'organization_id' );
		$name = '';
		if ( '' !== $org ) {
			global $wpdb;
			$name = (string) $wpdb->get_var( $wpdb->prepare( 'SELECT name FROM ' . Schema::table( 'organizations' ) . ' WHERE workos_id = %s', $org ) ); // phpcs:ignore WordPress.DB
		}
		return '' !== $name ? $name : __( 'your organization', 'workos' );
	}

	/**
	 * The user the screen shows: the current user on profile.php, `user_id`
	 * on user-edit.php (as WordPress reads it).
	 */
	private static function screen_user_id(): int {
		// phpcs:ignore WordPress.Security.NonceVerification -- read-only: which screen is shown.
		$asked = isset( $_REQUEST['user_id'] ) ? absint( $_REQUEST['user_id'] ) : 0;
		return $asked && 'user-edit.php' === ( $GLOBALS['pagenow'] ?? '' ) ? $asked : get_current_user_id();
	}
}
