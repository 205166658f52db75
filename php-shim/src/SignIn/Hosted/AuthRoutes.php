<?php
/**
 * Every route of the hosted login's public API, /wp-json/workos/v1/auth/*:
 * the sign-in routes (AuthRest) and each account-lifecycle flow's.
 *
 * @package WorkOS_WP
 */

namespace WorkOS_WP\SignIn\Hosted;

defined( 'ABSPATH' ) || exit;

/**
 * The one list of route classes. Kept apart from AuthRest, whose guard,
 * limits and answers the flows use, so that nothing points back up.
 */
final class AuthRoutes {

	/**
	 * The classes whose `routes()` (route => [method, static callback]) make
	 * the API: one line per flow.
	 */
	private const CLASSES = array(
		AuthRest::class,
		SignupRest::class,
		ResetRest::class,
		MfaRest::class,
		InvitationRest::class,
		FactorsRest::class,
	);

	/**
	 * rest_api_init.
	 */
	public static function register(): void {
		foreach ( self::CLASSES as $class ) {
			foreach ( $class::routes() as $route => $spec ) {
				register_rest_route(
					AuthRest::NAMESPACE,
					'/auth/' . $route,
					array(
						'methods'             => $spec[0],
						'callback'            => array( $class, $spec[1] ),
						// Public by design: who may sign in is WorkOS's and the pipeline's call.
						'permission_callback' => '__return_true',
					)
				);
			}
		}
	}
}
