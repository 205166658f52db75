<?php
/**
 * Which Login Profile a login uses: the routing rules (option `workos_profile_routing_rules`).
 *
 * @package WorkOS_WP
 */

namespace WorkOS_WP\Profiles;

use WorkOS\Native\ProfileException;
use WorkOS\Native\ProfileRouter;
use function WorkOS_WP\extension_ready;

defined( 'ABSPATH' ) || exit;

/**
 * The rules are stored as the reference stores them — an ordered list of
 * `{profile, matcher: {type, value}}` with type `redirect_to` (a glob on the
 * path of `redirect_to`), `referrer_host` or `user_role` — and matched by the
 * extension (WorkOS\Native\ProfileRouter): the first rule that matches wins,
 * else `default`. A rule naming a profile deleted since is skipped.
 */
final class Routing {

	public const OPTION = 'workos_profile_routing_rules';

	/**
	 * The stored rules (entries that are not rules dropped).
	 *
	 * @return array[]
	 */
	public static function get_rules(): array {
		$rules = get_option( self::OPTION, array() );
		if ( ! is_array( $rules ) || ! extension_ready() ) {
			return array();
		}
		try {
			return ProfileRouter::normalizeRules( $rules );
		} catch ( \WorkOS\Native\Exception $e ) {
			return array();
		}
	}

	/**
	 * Replaces the rules, after checking every one: its shape, and that the
	 * profile it names exists.
	 *
	 * @param array $rules The rules, in order.
	 * @return array|\WP_Error The rules as stored, or why they were refused (`data.field` names the rule).
	 */
	public static function set_rules( array $rules ) {
		if ( ! extension_ready() ) {
			return new \WP_Error( 'workos_extension_missing', __( 'The workos PHP extension is not loaded.', 'workos' ), array( 'status' => 503 ) );
		}
		try {
			$rules = ProfileRouter::validateRules( $rules );
		} catch ( ProfileException $e ) {
			return new \WP_Error(
				$e->getErrorCode(),
				$e->getMessage(),
				array(
					'status' => 400,
					'field'  => $e->getField(),
				)
			);
		}
		$slugs = ProfileRepository::slugs();
		foreach ( $rules as $i => $rule ) {
			if ( ! in_array( $rule['profile'], $slugs, true ) ) {
				return new \WP_Error(
					'workos_profile_not_found',
					/* translators: 1: rule number, 2: profile slug. */
					sprintf( __( 'Rule %1$d sends logins to the profile "%2$s", which does not exist.', 'workos' ), $i + 1, $rule['profile'] ),
					array(
						'status' => 400,
						'field'  => 'rules[' . $i . '].profile',
					)
				);
			}
		}
		// Read on login pages only: not autoloaded on every page view.
		update_option( self::OPTION, $rules, false );
		return $rules;
	}

	/**
	 * The slug the rules choose for a login.
	 *
	 * @param array $context `redirect_to`, `referrer` (URL), `roles` (WordPress roles); see context().
	 */
	public static function choose( array $context ): string {
		if ( ! extension_ready() ) {
			return ProfileRepository::DEFAULT_SLUG;
		}
		$rules = self::get_rules();
		if ( ! $rules ) {
			return ProfileRepository::DEFAULT_SLUG;
		}
		$context = array_intersect_key( $context, array_flip( array( 'redirect_to', 'referrer', 'roles' ) ) );
		try {
			return ProfileRouter::choose( $rules, $context + array( 'profiles' => ProfileRepository::slugs() ) );
		} catch ( \WorkOS\Native\Exception $e ) {
			return ProfileRepository::DEFAULT_SLUG;
		}
	}

	/**
	 * The profile a login uses: `$explicit` when it names one that exists,
	 * else the one the rules choose for `$context`, else the default one.
	 *
	 * @param string $explicit A slug asked for (`?workos_profile=`, the shortcode's `profile`), or ''.
	 * @param array  $context  As for choose().
	 */
	public static function resolve( string $explicit, array $context ): Profile {
		if ( '' !== $explicit ) {
			$profile = ProfileRepository::find_by_slug( $explicit );
			if ( $profile ) {
				return $profile;
			}
		}
		$profile = ProfileRepository::find_by_slug( self::choose( $context ) );
		return $profile ? $profile : ProfileRepository::get_default();
	}

	/**
	 * What a login request says about itself: its `redirect_to`, the page it
	 * came from, and the signed-in visitor's roles.
	 *
	 * @param string $redirect_to The login's `redirect_to` ('' for none).
	 */
	public static function context( string $redirect_to = '' ): array {
		$user = wp_get_current_user();
		return array(
			'redirect_to' => $redirect_to,
			'referrer'    => (string) wp_get_raw_referer(),
			'roles'       => $user->exists() ? array_values( array_map( 'strval', (array) $user->roles ) ) : array(),
		);
	}
}
