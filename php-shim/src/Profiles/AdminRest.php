<?php
/**
 * /wp-json/workos/v1/admin/profiles and /admin/profile-routing: the Login Profiles editor's API.
 *
 * @package WorkOS_WP
 */

namespace WorkOS_WP\Profiles;

use WorkOS_WP\Api;
use WorkOS_WP\Settings;
use function WorkOS_WP\extension_ready;

defined( 'ABSPATH' ) || exit;

/**
 * The reference's admin routes (names, shapes and error codes kept), for
 * administrators (`manage_options`) only:
 *
 * - GET  /admin/profiles                        {profiles: [EditorProfile]}
 * - POST /admin/profiles                        201 EditorProfile
 * - GET  /admin/profiles/organizations?refresh  {organizations: [{id, name}], error?}
 * - GET|PUT|DELETE /admin/profiles/{id}         PUT is a partial update (deep merge)
 * - GET|PUT /admin/profile-routing              {rules} (the reference has no route for these)
 *
 * EditorProfile = the stored fields + `branding.logo_url`, `login_url`,
 * `custom_url`, `organization_name`. Refusals are WordPress REST errors: `{code, message, data:
 * {status, field?}}`.
 */
final class AdminRest {

	public const REST_NAMESPACE = 'workos/v1';

	/** How long the organization picker's list may be old (the reference's 5 minutes). */
	private const ORGANIZATIONS_TTL = 300;

	/**
	 * Registers the routes (only on REST requests for them; see add_hooks()).
	 */
	public static function register_routes(): void {
		$allowed = array( self::class, 'permission' );
		register_rest_route(
			self::REST_NAMESPACE,
			'/admin/profiles',
			array(
				array(
					'methods'             => \WP_REST_Server::READABLE,
					'callback'            => array( self::class, 'list_profiles' ),
					'permission_callback' => $allowed,
				),
				array(
					'methods'             => \WP_REST_Server::CREATABLE,
					'callback'            => array( self::class, 'create_profile' ),
					'permission_callback' => $allowed,
				),
			)
		);
		register_rest_route(
			self::REST_NAMESPACE,
			'/admin/profiles/organizations',
			array(
				'methods'             => \WP_REST_Server::READABLE,
				'callback'            => array( self::class, 'organizations' ),
				'permission_callback' => $allowed,
				'args'                => array(
					'refresh' => array(
						'type'    => 'boolean',
						'default' => false,
					),
				),
			)
		);
		register_rest_route(
			self::REST_NAMESPACE,
			'/admin/profiles/(?P<id>\d+)',
			array(
				array(
					'methods'             => \WP_REST_Server::READABLE,
					'callback'            => array( self::class, 'get_profile' ),
					'permission_callback' => $allowed,
				),
				array(
					'methods'             => \WP_REST_Server::EDITABLE,
					'callback'            => array( self::class, 'update_profile' ),
					'permission_callback' => $allowed,
				),
				array(
					'methods'             => \WP_REST_Server::DELETABLE,
					'callback'            => array( self::class, 'delete_profile' ),
					'permission_callback' => $allowed,
				),
			)
		);
		register_rest_route(
			self::REST_NAMESPACE,
			'/admin/profile-routing',
			array(
				array(
					'methods'             => \WP_REST_Server::READABLE,
					'callback'            => array( self::class, 'get_routing' ),
					'permission_callback' => $allowed,
				),
				array(
					'methods'             => \WP_REST_Server::EDITABLE,
					'callback'            => array( self::class, 'update_routing' ),
					'permission_callback' => $allowed,
				),
			)
		);
	}

	/**
	 * Administrators only (401 when signed out, 403 otherwise).
	 *
	 * @return true|\WP_Error
	 */
	public static function permission() {
		if ( current_user_can( 'manage_options' ) ) {
			return true;
		}
		return new \WP_Error( 'workos_forbidden', __( 'Only administrators can manage login profiles.', 'workos' ), array( 'status' => rest_authorization_required_code() ) );
	}

	/**
	 * GET /admin/profiles
	 *
	 * @return \WP_REST_Response|\WP_Error
	 */
	public static function list_profiles() {
		$missing = self::extension_missing();
		if ( $missing ) {
			return $missing;
		}
		return rest_ensure_response( array( 'profiles' => self::editor_profiles() ) );
	}

	/**
	 * Every profile as the editor shows it (see editor_profile()), the
	 * organizations' names looked up once for all.
	 *
	 * @return array[]
	 */
	public static function editor_profiles(): array {
		$profiles = ProfileRepository::all();
		$pinned   = array_filter( array_map( static fn( Profile $p ): string => (string) ( $p->to_array()['organization_id'] ?? '' ), $profiles ) );
		$names    = $pinned ? self::organization_names() : array();
		return array_map( static fn( Profile $p ): array => self::editor_profile( $p, $names ), $profiles );
	}

	/**
	 * The organizations' names by id, from the list every PHP worker of this
	 * machine shares (ORGANIZATIONS_TTL); empty when WorkOS cannot be asked
	 * (the editor's /organizations call says why).
	 *
	 * @return array<string, string>
	 */
	private static function organization_names(): array {
		$names = array();
		if ( ! extension_ready() || ! Settings::is_configured() ) {
			return $names;
		}
		try {
			foreach ( Api::client()->listOrganizationsCached( array( 'order' => 'desc' ), 1000, self::ORGANIZATIONS_TTL ) as $org ) {
				if ( is_string( $org['id'] ?? null ) && is_string( $org['name'] ?? null ) ) {
					$names[ $org['id'] ] = $org['name'];
				}
			}
		} catch ( \WorkOS\Native\Exception $e ) {
			return array();
		}
		return $names;
	}

	/**
	 * POST /admin/profiles
	 *
	 * @param \WP_REST_Request $request The request.
	 * @return \WP_REST_Response|\WP_Error
	 */
	public static function create_profile( \WP_REST_Request $request ) {
		$missing = self::extension_missing();
		if ( $missing ) {
			return $missing;
		}
		$saved = ProfileRepository::save( self::body( $request ) );
		if ( is_wp_error( $saved ) ) {
			return $saved;
		}
		$response = rest_ensure_response( self::editor_profile( $saved ) );
		$response->set_status( 201 );
		return $response;
	}

	/**
	 * GET /admin/profiles/{id}
	 *
	 * @param \WP_REST_Request $request The request.
	 * @return \WP_REST_Response|\WP_Error
	 */
	public static function get_profile( \WP_REST_Request $request ) {
		$missing = self::extension_missing();
		if ( $missing ) {
			return $missing;
		}
		ProfileRepository::get_default(); // The default profile exists before anyone looks.
		$profile = ProfileRepository::find( (int) $request['id'] );
		return $profile ? rest_ensure_response( self::editor_profile( $profile ) ) : ProfileRepository::not_found();
	}

	/**
	 * PUT /admin/profiles/{id}: the body is deep-merged into the stored
	 * profile (`methods` and `mfa.factors` replaced whole), then validated.
	 *
	 * @param \WP_REST_Request $request The request.
	 * @return \WP_REST_Response|\WP_Error
	 */
	public static function update_profile( \WP_REST_Request $request ) {
		$missing = self::extension_missing();
		if ( $missing ) {
			return $missing;
		}
		$id     = (int) $request['id'];
		$stored = ProfileRepository::find( $id );
		if ( ! $stored ) {
			return ProfileRepository::not_found();
		}
		try {
			$merged = \WorkOS\Native\LoginProfile::merge( $stored->to_array(), self::body( $request ) );
		} catch ( \WorkOS\Native\Exception $e ) {
			return new \WP_Error( 'workos_profile_invalid', $e->getMessage(), array( 'status' => 400 ) );
		}
		$saved = ProfileRepository::save( $merged, $id );
		return is_wp_error( $saved ) ? $saved : rest_ensure_response( self::editor_profile( $saved ) );
	}

	/**
	 * DELETE /admin/profiles/{id}
	 *
	 * @param \WP_REST_Request $request The request.
	 * @return \WP_REST_Response|\WP_Error
	 */
	public static function delete_profile( \WP_REST_Request $request ) {
		$missing = self::extension_missing();
		if ( $missing ) {
			return $missing;
		}
		$deleted = ProfileRepository::delete( (int) $request['id'] );
		if ( is_wp_error( $deleted ) ) {
			return $deleted;
		}
		return rest_ensure_response(
			array(
				'deleted' => true,
				'id'      => $deleted->get_id(),
			)
		);
	}

	/**
	 * GET /admin/profiles/organizations: WorkOS's organizations by name for
	 * the picker, from the list every PHP worker of this machine shares (at
	 * most five minutes old; `refresh=1` asks WorkOS now). Always 200: when
	 * WorkOS cannot be asked, `error` says why and the list may be empty.
	 *
	 * @param \WP_REST_Request $request The request.
	 * @return \WP_REST_Response
	 */
	public static function organizations( \WP_REST_Request $request ) {
		$organizations = array();
		$error         = '';
		if ( ! extension_ready() || ! Settings::is_configured() ) {
			$error = __( 'WorkOS is not configured yet (API key and client ID), so its organizations cannot be listed.', 'workos' );
		} else {
			try {
				$client = Api::client();
				if ( rest_sanitize_boolean( $request['refresh'] ) ) {
					$client->forgetCachedOrganizations();
				}
				foreach ( $client->listOrganizationsCached( array( 'order' => 'desc' ), 1000, self::ORGANIZATIONS_TTL ) as $org ) {
					if ( is_string( $org['id'] ?? null ) ) {
						$organizations[] = array(
							'id'   => $org['id'],
							'name' => is_string( $org['name'] ?? null ) ? $org['name'] : $org['id'],
						);
					}
				}
			} catch ( \WorkOS\Native\Exception $e ) {
				/* translators: %s: WorkOS's answer. */
				$error = sprintf( __( 'The organizations could not be listed: %s', 'workos' ), $e->getMessage() );
			}
		}
		usort(
			$organizations,
			static fn( array $a, array $b ): int => strnatcasecmp( $a['name'], $b['name'] )
		);
		$body = array( 'organizations' => $organizations );
		if ( '' !== $error ) {
			$body['error'] = $error;
		}
		return rest_ensure_response( $body );
	}

	/**
	 * GET /admin/profile-routing
	 *
	 * @return \WP_REST_Response|\WP_Error
	 */
	public static function get_routing() {
		$missing = self::extension_missing();
		if ( $missing ) {
			return $missing;
		}
		return rest_ensure_response( array( 'rules' => Routing::get_rules() ) );
	}

	/**
	 * PUT /admin/profile-routing: `{rules: […]}` replaces every rule.
	 *
	 * @param \WP_REST_Request $request The request.
	 * @return \WP_REST_Response|\WP_Error
	 */
	public static function update_routing( \WP_REST_Request $request ) {
		$missing = self::extension_missing();
		if ( $missing ) {
			return $missing;
		}
		$body = self::body( $request );
		if ( ! array_key_exists( 'rules', $body ) || ! is_array( $body['rules'] ) ) {
			return new \WP_Error(
				'workos_profile_invalid_rule',
				__( 'Send the rules as {"rules": [...]}.', 'workos' ),
				array(
					'status' => 400,
					'field'  => 'rules',
				)
			);
		}
		$rules = Routing::set_rules( $body['rules'] );
		return is_wp_error( $rules ) ? $rules : rest_ensure_response( array( 'rules' => $rules ) );
	}

	/**
	 * The editor's view of a profile: the stored fields, the logo's URL,
	 * the profile's URLs and the pinned organization's name
	 * (`organization_name`, '' when none is pinned or WorkOS did not name
	 * it), so lists show names, not ids.
	 *
	 * @param Profile    $profile The profile.
	 * @param array|null $names   Organization names by id (null: looked up when one is pinned).
	 */
	public static function editor_profile( Profile $profile, ?array $names = null ): array {
		$data     = $profile->to_array();
		$org_id   = (string) ( $data['organization_id'] ?? '' );
		if ( null === $names ) {
			$names = '' !== $org_id ? self::organization_names() : array();
		}
		$data['organization_name'] = (string) ( $names[ $org_id ] ?? '' );
		$branding = (array) ( $data['branding'] ?? array() );
		$logo_url = '';
		if ( 'custom' === ( $branding['logo_mode'] ?? '' ) ) {
			$logo_url = (string) wp_get_attachment_url( (int) ( $branding['logo_attachment_id'] ?? 0 ) );
		}
		$data['branding']['logo_url'] = $logo_url;
		$data['login_url']            = home_url( '/workos/login/' . rawurlencode( $profile->get_slug() ) . '/' );
		$data['custom_url']           = '' !== $profile->get_custom_path() ? home_url( '/' . $profile->get_custom_path() . '/' ) : '';
		return $data;
	}

	/**
	 * The JSON body (or form fields), without the route's id.
	 *
	 * @param \WP_REST_Request $request The request.
	 */
	private static function body( \WP_REST_Request $request ): array {
		$body = $request->get_json_params();
		if ( ! is_array( $body ) ) {
			$body = $request->get_body_params();
		}
		unset( $body['id'] );
		return is_array( $body ) ? $body : array();
	}

	/**
	 * 503 when the extension (which checks every profile) is not loaded.
	 *
	 * @return \WP_Error|null
	 */
	private static function extension_missing(): ?\WP_Error {
		if ( extension_ready() ) {
			return null;
		}
		return new \WP_Error( 'workos_extension_missing', __( 'The workos PHP extension is not loaded, so login profiles cannot be managed.', 'workos' ), array( 'status' => 503 ) );
	}
}
