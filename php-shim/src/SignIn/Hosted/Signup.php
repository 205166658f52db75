<?php
/**
 * The hosted login's sign-up: who offers it, and the pages that open on it
 * (wp-login.php?action=register, `workos_action=signup`).
 *
 * @package WorkOS_WP
 */

namespace WorkOS_WP\SignIn\Hosted;

use WorkOS_WP\Profiles\Profile;

defined( 'ABSPATH' ) || exit;

/**
 * What the entry points (Entry, Shell) and the API (SignupRest) ask about
 * sign-up. A leaf: it depends on no other class of the hosted login, so the
 * pages can ask it without loading (or depending on) the API.
 */
final class Signup {

	/** The sign-up step; its code step is `signup_verify` (REFERENCE-API §8.1). */
	public const STEP = 'signup';

	/**
	 * Whether `$profile` accepts sign-ups on its hosted login (the API):
	 * `signup.enabled`, the hosted login (not AuthKit) and the password
	 * method — a sign-up sets the password; where only emailed codes are
	 * offered, the first code creates the account (AuthRest::magic_send()).
	 *
	 * @param Profile $profile The profile.
	 */
	public static function enabled( Profile $profile ): bool {
		$signup = $profile->get( 'signup', array() );
		return is_array( $signup ) && ! empty( $signup['enabled'] )
			&& 'authkit_redirect' !== $profile->get_mode() && $profile->has_method( 'password' );
	}

	/**
	 * Whether the shell offers sign-up to anyone ("Create an account", the
	 * entry's sign-up step): enabled() without an invitation being required
	 * (an invitee follows their invitation link). On the profile as the shell
	 * receives it (Shell::markup(), Entry); steps/Signup.js signupOffered()
	 * decides the same.
	 *
	 * @param array $profile Profile fields (signup, methods, mode).
	 */
	public static function offered( array $profile ): bool {
		$signup  = isset( $profile['signup'] ) && is_array( $profile['signup'] ) ? $profile['signup'] : array();
		$methods = isset( $profile['methods'] ) && is_array( $profile['methods'] ) ? $profile['methods'] : array();
		return true === ( $signup['enabled'] ?? false ) && true !== ( $signup['require_invite'] ?? false )
			&& 'authkit_redirect' !== ( $profile['mode'] ?? 'custom' ) && in_array( 'password', $methods, true );
	}

	/**
	 * For Entry::show(): the sign-up step to open on, when the page was asked
	 * for it — wp-login.php?action=register (WordPress's register_url; kept
	 * on the way to a profile's own path) or `workos_action=signup` — and the
	 * profile offers sign-up; otherwise nothing (the sign-in step).
	 *
	 * @param Profile $profile The profile.
	 * @param array   $query   The request's query (unslashed).
	 * @return array{initial_step?: string, step_data?: array}
	 */
	public static function entry_step( Profile $profile, array $query ): array {
		$asked = ( 'register' === ( $query['action'] ?? '' ) ) || ( 'signup' === ( $query['workos_action'] ?? '' ) );
		if ( ! $asked || ! self::offered( $profile->to_array() ) ) {
			return array();
		}
		return array(
			'initial_step' => self::STEP,
			'step_data'    => array(),
		);
	}

	/**
	 * The address of `$profile`'s login page, for emails: its own path, else
	 * /workos/login/{slug}/ (Entry::path_url() / route_url(), spelt out so
	 * that this class stays a leaf).
	 *
	 * @param Profile $profile The profile.
	 */
	public static function login_url( Profile $profile ): string {
		$path = $profile->get_custom_path();
		return home_url( user_trailingslashit( '' !== $path ? $path : 'workos/login/' . $profile->get_slug() ) );
	}
}
