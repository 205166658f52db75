<?php
/**
 * Where Login Profiles live: the reference plugin's storage, so its rows keep working.
 *
 * @package WorkOS_WP
 */

namespace WorkOS_WP\Profiles;

use WorkOS\Native\LoginProfile;
use WorkOS\Native\ProfileException;
use function WorkOS_WP\extension_ready;

defined( 'ABSPATH' ) || exit;

/**
 * Profiles are posts of the non-public type `workos_login_profile` (post_name =
 * slug, post_title = title, status `publish`) with their fields as JSON in the
 * post meta `_workos_profile_config`; slug, title and id are always read from
 * the post row. The `default` profile always exists: it is created the first
 * time any profile is read, and it can be neither deleted nor renamed.
 *
 * The post type is registered here, on first use, not on every `init`: it has
 * no UI, no REST, no rewrite and no query var, so nothing but this class ever
 * reads or writes its posts, and every method registers it before touching
 * them. An ordinary page view therefore pays nothing for it.
 */
final class ProfileRepository {

	public const POST_TYPE    = 'workos_login_profile';
	public const META         = '_workos_profile_config';
	public const DEFAULT_SLUG = Profile::DEFAULT_SLUG;

	/** More profiles than any site needs; lists stop there. */
	private const MAX_PROFILES = 500;

	/**
	 * Registers the post type once per request (see the class comment).
	 */
	public static function register_post_type(): void {
		if ( post_type_exists( self::POST_TYPE ) ) {
			return;
		}
		register_post_type(
			self::POST_TYPE,
			array(
				'label'               => __( 'Login Profiles', 'workos' ),
				'public'              => false,
				'show_ui'             => false,
				'show_in_menu'        => false,
				'show_in_rest'        => false,
				'show_in_nav_menus'   => false,
				'exclude_from_search' => true,
				'publicly_queryable'  => false,
				'rewrite'             => false,
				'query_var'           => false,
				'can_export'          => true,
				'supports'            => array( 'title' ),
			)
		);
	}

	/**
	 * Every profile, the default one first, then by title.
	 *
	 * @return Profile[]
	 */
	public static function all(): array {
		self::get_default();
		$posts    = get_posts( self::query( array( 'numberposts' => self::MAX_PROFILES ) ) );
		$profiles = array_map( array( self::class, 'from_post' ), $posts );
		usort(
			$profiles,
			static function ( Profile $a, Profile $b ): int {
				if ( $a->is_default() !== $b->is_default() ) {
					return $a->is_default() ? -1 : 1;
				}
				return strnatcasecmp( $a->get_title(), $b->get_title() );
			}
		);
		return $profiles;
	}

	/**
	 * The slugs of every profile.
	 *
	 * @return string[]
	 */
	public static function slugs(): array {
		return array_map( static fn( Profile $p ): string => $p->get_slug(), self::all() );
	}

	/**
	 * The profile with post ID `$id`, or null.
	 *
	 * @param int $id Post ID.
	 */
	public static function find( int $id ): ?Profile {
		self::register_post_type();
		$post = $id > 0 ? get_post( $id ) : null;
		if ( ! $post instanceof \WP_Post || self::POST_TYPE !== $post->post_type || 'publish' !== $post->post_status ) {
			return null;
		}
		return self::from_post( $post );
	}

	/**
	 * The profile with `$slug`, or null (the default one is created if missing).
	 *
	 * @param string $slug Profile slug.
	 */
	public static function find_by_slug( string $slug ): ?Profile {
		if ( self::DEFAULT_SLUG === $slug ) {
			return self::get_default();
		}
		return self::lookup( $slug );
	}

	/**
	 * The default profile, created now if it does not exist yet.
	 */
	public static function get_default(): Profile {
		$found = self::lookup( self::DEFAULT_SLUG );
		if ( $found ) {
			return $found;
		}
		$seeded = self::save( self::seed() );
		if ( $seeded instanceof Profile ) {
			return $seeded;
		}
		// Another request seeded it at the same moment (its insert won).
		$found = self::lookup( self::DEFAULT_SLUG );
		return $found ? $found : new Profile( self::normalize( self::seed() ) );
	}

	/**
	 * The default profile as the reference seeds it.
	 */
	public static function seed(): array {
		return array(
			'slug'     => self::DEFAULT_SLUG,
			'title'    => __( 'Default Login', 'workos' ),
			'methods'  => array( 'password', 'magic_code', 'oauth_google' ),
			'branding' => array( 'heading' => __( 'Sign in', 'workos' ) ),
		);
	}

	/**
	 * Creates (`$id` 0) or replaces a profile. `$fields` is validated whole
	 * (see LoginProfile::validate(); for a partial update merge first, as
	 * AdminRest does); slugs and custom paths must be unique, a custom logo
	 * must be an image in the media library, and the default profile keeps
	 * its slug. Fires `workos_login_profile_saved` with the saved profile.
	 *
	 * @param array $fields Profile fields.
	 * @param int   $id     Post ID of the profile to replace; 0 creates one.
	 * @return Profile|\WP_Error The saved profile, or why it was refused (`data.status`, `data.field`).
	 */
	public static function save( array $fields, int $id = 0 ) {
		if ( ! extension_ready() ) {
			return self::error( 'workos_extension_missing', __( 'The workos PHP extension is not loaded, so profiles cannot be checked or saved.', 'workos' ), '', 503 );
		}
		self::register_post_type();
		unset( $fields['id'] );
		try {
			$profile = LoginProfile::validate( $fields );
		} catch ( ProfileException $e ) {
			return self::error( $e->getErrorCode(), $e->getMessage(), $e->getField() );
		}
		// What WordPress allows in text fields (tags stripped, and so on).
		$profile['title']                  = sanitize_text_field( $profile['title'] );
		$profile['branding']['heading']    = sanitize_text_field( $profile['branding']['heading'] );
		$profile['branding']['subheading'] = sanitize_text_field( $profile['branding']['subheading'] );
		if ( '' === $profile['title'] ) {
			$profile['title'] = LoginProfile::normalize( array( 'slug' => $profile['slug'] ) )['title'];
		}

		$existing = null;
		if ( $id > 0 ) {
			$existing = self::find( $id );
			if ( ! $existing ) {
				return self::not_found();
			}
			if ( $existing->is_default() && self::DEFAULT_SLUG !== $profile['slug'] ) {
				return self::error( 'workos_profile_default_locked', __( 'The default profile\'s slug cannot be changed.', 'workos' ), 'slug' );
			}
		}
		$refused = self::check_unique( $profile, $id );
		if ( $refused ) {
			return $refused;
		}
		$refused = self::check_reserved( $profile['slug'], $id );
		if ( $refused ) {
			return $refused;
		}
		$refused = self::check_logo( $profile );
		if ( $refused ) {
			return $refused;
		}

		$post_id = wp_insert_post(
			wp_slash(
				array(
					'ID'          => $id,
					'post_type'   => self::POST_TYPE,
					'post_status' => 'publish',
					'post_name'   => $profile['slug'],
					'post_title'  => $profile['title'],
				)
			),
			true
		);
		if ( is_wp_error( $post_id ) || ! $post_id ) {
			return self::error( 'workos_profile_save_failed', __( 'The profile could not be saved.', 'workos' ), '', 500 );
		}
		// WordPress makes a taken post_name unique (`members-2`): another
		// request created the same slug at the same moment, and won.
		if ( get_post_field( 'post_name', $post_id ) !== $profile['slug'] ) {
			if ( 0 === $id ) {
				wp_delete_post( $post_id, true );
			}
			return self::slug_taken( $profile['slug'] );
		}
		$profile['id'] = (int) $post_id;
		update_post_meta( $post_id, self::META, wp_slash( (string) wp_json_encode( $profile ) ) );
		$saved = self::find( (int) $post_id );
		if ( ! $saved ) {
			return self::error( 'workos_profile_save_failed', __( 'The profile could not be saved.', 'workos' ), '', 500 );
		}
		/**
		 * A Login Profile was created or changed (REST, seeding of the default profile).
		 *
		 * @param Profile $saved The profile as stored, with its post ID.
		 */
		do_action( 'workos_login_profile_saved', $saved );
		return $saved;
	}

	/**
	 * Deletes a profile (never the default one). Fires
	 * `workos_login_profile_deleted` with a copy taken before.
	 *
	 * @param int $id Post ID.
	 * @return Profile|\WP_Error The deleted profile, or why not.
	 */
	public static function delete( int $id ) {
		$profile = self::find( $id );
		if ( ! $profile ) {
			return self::not_found();
		}
		if ( $profile->is_default() ) {
			return self::error( 'workos_profile_default_locked', __( 'The default profile cannot be deleted: it is the sign-in page when no other profile applies.', 'workos' ), 'slug' );
		}
		if ( ! wp_delete_post( $id, true ) ) {
			return self::error( 'workos_profile_delete_failed', __( 'The profile could not be deleted.', 'workos' ) );
		}
		/**
		 * A Login Profile was deleted.
		 *
		 * @param Profile $profile The profile as it was.
		 */
		do_action( 'workos_login_profile_deleted', $profile );
		return $profile;
	}

	/**
	 * Every custom path in use, by slug (for the routes that serve them).
	 *
	 * @return array<string, string>
	 */
	public static function custom_paths(): array {
		$paths = array();
		foreach ( self::all() as $profile ) {
			if ( '' !== $profile->get_custom_path() ) {
				$paths[ $profile->get_slug() ] = $profile->get_custom_path();
			}
		}
		return $paths;
	}

	/**
	 * The profile of a post row: its JSON fields, with slug, title and id
	 * from the row, normalized (rows written by older versions or by hand
	 * are read as well as can be, never refused).
	 *
	 * @param \WP_Post $post Profile post.
	 */
	private static function from_post( \WP_Post $post ): Profile {
		$config = json_decode( (string) get_post_meta( $post->ID, self::META, true ), true );
		$config = is_array( $config ) ? $config : array();

		$config['id']    = (int) $post->ID;
		$config['slug']  = (string) $post->post_name;
		$config['title'] = (string) $post->post_title;
		return new Profile( self::normalize( $config ) );
	}

	/**
	 * The lenient reading of stored fields (as stored when the extension is missing).
	 *
	 * @param array $config Stored fields.
	 */
	private static function normalize( array $config ): array {
		if ( ! extension_ready() ) {
			return $config;
		}
		try {
			return LoginProfile::normalize( $config );
		} catch ( \WorkOS\Native\Exception $e ) {
			return $config; // Not an array the extension can read (e.g. invalid UTF-8).
		}
	}

	/**
	 * The published profile with `$slug`, without seeding.
	 *
	 * @param string $slug Profile slug.
	 */
	private static function lookup( string $slug ): ?Profile {
		self::register_post_type();
		if ( '' === $slug ) {
			return null;
		}
		$posts = get_posts(
			self::query(
				array(
					'name'        => $slug,
					'numberposts' => 1,
				)
			)
		);
		if ( ! $posts || $posts[0]->post_name !== $slug ) {
			return null;
		}
		return self::from_post( $posts[0] );
	}

	/**
	 * The arguments of every profile query.
	 *
	 * @param array $args Extra arguments.
	 */
	private static function query( array $args ): array {
		self::register_post_type();
		return $args + array(
			'post_type'        => self::POST_TYPE,
			'post_status'      => 'publish',
			'orderby'          => 'ID',
			'order'            => 'ASC',
			'suppress_filters' => true,
			'no_found_rows'    => true,
		);
	}

	/**
	 * Refuses a slug or custom path another profile has.
	 *
	 * @param array $profile Validated fields.
	 * @param int   $id      Post ID being saved (0: new).
	 * @return \WP_Error|null
	 */
	private static function check_unique( array $profile, int $id ): ?\WP_Error {
		$same = self::lookup( $profile['slug'] );
		if ( $same && $same->get_id() !== $id ) {
			return self::slug_taken( $profile['slug'] );
		}
		$path = $profile['custom_path'];
		if ( '' === $path ) {
			return null;
		}
		// The REST prefix can be renamed (`rest_url_prefix`); the extension
		// knows only `wp-json`.
		$rest = trim( rest_get_url_prefix(), '/' );
		if ( '' !== $rest && ( $path === $rest || 0 === strpos( $path, $rest . '/' ) ) ) {
			/* translators: %s: the path. */
			return self::error( 'workos_profile_path_reserved', sprintf( __( 'The path /%s/ belongs to WordPress or to this plugin; choose another.', 'workos' ), $path ), 'custom_path' );
		}
		$posts = get_posts( self::query( array( 'numberposts' => self::MAX_PROFILES ) ) );
		foreach ( $posts as $post ) {
			$other = self::from_post( $post );
			if ( $other->get_id() !== $id && $other->get_custom_path() === $path ) {
				return self::error(
					'workos_profile_path_taken',
					/* translators: 1: the path, 2: the title of the profile that has it. */
					sprintf( __( 'The path /%1$s/ is already used by the profile "%2$s".', 'workos' ), $path, $other->get_title() ),
					'custom_path'
				);
			}
		}
		return null;
	}

	/**
	 * Refuses a slug WordPress will not give a post (`embed`, the feed names
	 * `feed`, `rss2`, `atom` …, or one a `wp_unique_post_slug` filter turns
	 * away). WordPress would quietly save such a profile as `embed-2`, which
	 * save() could only report as "taken" — and an existing profile would
	 * already be renamed by then. No other profile has the slug here
	 * (check_unique() ran first), so it is reserved, not taken.
	 *
	 * @param string $slug The slug asked for.
	 * @param int    $id   Post ID being saved (0: new).
	 * @return \WP_Error|null
	 */
	private static function check_reserved( string $slug, int $id ): ?\WP_Error {
		if ( wp_unique_post_slug( $slug, $id, 'publish', self::POST_TYPE, 0 ) === $slug ) {
			return null;
		}
		// A profile row that is not published (left by hand or by an old
		// version) holds it: taken, not reserved.
		$held = get_posts(
			self::query(
				array(
					'name'         => $slug,
					'post_status'  => array_values( get_post_stati() ),
					'post__not_in' => array( $id ),
					'numberposts'  => 1,
					'fields'       => 'ids',
				)
			)
		);
		if ( $held ) {
			return self::slug_taken( $slug );
		}
		return self::error(
			'workos_profile_slug_reserved',
			/* translators: %s: the slug. */
			sprintf( __( 'WordPress reserves the slug "%s" for its own addresses (feeds, embeds); choose another.', 'workos' ), $slug ),
			'slug'
		);
	}

	/**
	 * A custom logo must be an image of the media library.
	 *
	 * @param array $profile Validated fields.
	 * @return \WP_Error|null
	 */
	private static function check_logo( array $profile ): ?\WP_Error {
		$branding = $profile['branding'];
		if ( 'custom' !== $branding['logo_mode'] ) {
			return null;
		}
		$attachment = get_post( (int) $branding['logo_attachment_id'] );
		if ( ! $attachment instanceof \WP_Post || 'attachment' !== $attachment->post_type ) {
			return self::error( 'workos_profile_logo_not_found', __( 'The chosen logo is no longer in the media library; choose another image.', 'workos' ), 'branding.logo_attachment_id' );
		}
		if ( ! wp_attachment_is_image( $attachment ) ) {
			return self::error( 'workos_profile_logo_not_image', __( 'The chosen logo is not an image; choose an image from the media library.', 'workos' ), 'branding.logo_attachment_id' );
		}
		return null;
	}

	/**
	 * The error for a slug another profile has.
	 *
	 * @param string $slug The slug.
	 */
	private static function slug_taken( string $slug ): \WP_Error {
		/* translators: %s: the slug. */
		return self::error( 'workos_profile_slug_taken', sprintf( __( 'Another profile already has the slug "%s".', 'workos' ), $slug ), 'slug' );
	}

	/**
	 * The error for a profile that does not exist.
	 */
	public static function not_found(): \WP_Error {
		return self::error( 'workos_profile_not_found', __( 'There is no such login profile.', 'workos' ), '', 404 );
	}

	/**
	 * A refusal in WordPress's REST error format.
	 *
	 * @param string $code    Stable error code.
	 * @param string $message For the administrator.
	 * @param string $field   The field at fault ('' for none).
	 * @param int    $status  HTTP status.
	 */
	private static function error( string $code, string $message, string $field = '', int $status = 400 ): \WP_Error {
		$data = array( 'status' => $status );
		if ( '' !== $field ) {
			$data['field'] = $field;
		}
		return new \WP_Error( $code, $message, $data );
	}
}
